#!/usr/bin/python3
"""Action links in a real browser (headless Chromium through Selenium):
the page of a follow-up's link and of a promise's, each button pressed,
the database checked after each press with `nudge followup show --json`
(or `promise show --json`), a second click, and an accessibility check
of the page (docs/ACCESSIBILITY.md's checklist, the parts a program can
see).  Prints "ok NAME" or "FAIL NAME: detail" lines for test_links.sh.

usage: browser_links.py NUDGE FOLLOWUP_LINK FOLLOWUP_ID PROMISE_LINK PROMISE_ID
                        TARGET_LINK TARGET_PROMISE_ID
       browser_links.py --act WHERE NUDGE FOLLOWUP_LINK FOLLOWUP_ID
                        PROMISE_LINK PROMISE_ID
The second: links as a person finds them in a delivered message (WHERE:
"email", "Slack"): the follow-up snoozed, then marked done, and the
promise kept, each in the database.
"""
import json, re, subprocess, sys

from selenium import webdriver
from selenium.common.exceptions import (SessionNotCreatedException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

failed = 0
# nudged may run under ThreadSanitizer on a busy machine: a page or a
# POST's answer gets this long (seconds) before it counts as a failure.
WAIT = 90


def report(cond, name, detail=""):
    global failed
    if cond:
        print(f"ok {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name}: {detail}", flush=True)


def show(nudge, kind, ident):
    out = subprocess.run([nudge, kind, "show", ident, "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def luminance(rgb):
    def chan(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * chan(r) + 0.7152 * chan(g) + 0.0722 * chan(b)


def rgb(css):
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])


def contrast(fg, bg):
    a, b = sorted((luminance(rgb(fg)), luminance(rgb(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def accessible(d, name):
    """Labels, language, headings, focus order, contrast."""
    report(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en",
           f"{name}: the page says its language")
    report(len(d.find_elements(By.TAG_NAME, "h1")) == 1, f"{name}: one h1")
    unlabelled = []
    for el in d.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), textarea"):
        ident = el.get_attribute("id")
        wrapped = el.find_elements(By.XPATH, "ancestor::label")
        named = ident and d.find_elements(By.CSS_SELECTOR, f"label[for='{ident}']")
        if not wrapped and not named:
            unlabelled.append(el.get_attribute("outerHTML"))
    report(not unlabelled, f"{name}: every field has a label", unlabelled)
    buttons = d.find_elements(By.TAG_NAME, "button")
    report(all(b.text.strip() for b in buttons), f"{name}: every button says what it does")
    low = [(b.text, contrast(b.value_of_css_property("color"),
                             b.value_of_css_property("background-color")))
           for b in buttons]
    low = [x for x in low if x[1] < 4.5]
    report(not low, f"{name}: buttons' contrast at least 4.5:1", low)
    body = d.find_element(By.TAG_NAME, "body")
    report(contrast(body.value_of_css_property("color"),
                    body.value_of_css_property("background-color")) >= 7,
           f"{name}: text contrast at least 7:1")
    # Tab through the page: focus goes to each control in document order.
    controls = [e for e in d.find_elements(
        By.CSS_SELECTOR, "input:not([type=hidden]), textarea, button")]
    body.send_keys(Keys.TAB)
    seen = []
    # A date field is a tab stop per part (month, day, year).
    for _ in range(3 * len(controls) + 4):
        seen.append(d.switch_to.active_element)
        d.switch_to.active_element.send_keys(Keys.TAB)
    # A group of radio buttons is one tab stop (the checked one): the
    # order is checked on the other controls, the group by its focus.
    others = [c for c in controls if c.get_attribute("type") != "radio"]
    order = [e for e in seen if e in others]
    order = [e for i, e in enumerate(order) if e not in order[:i]]
    report(order == others, f"{name}: the tab key reaches the controls in order",
           [e.get_attribute("outerHTML")[:60] for e in order])
    radios = [c for c in controls if c.get_attribute("type") == "radio"]
    report(not radios or any(e in radios for e in seen),
           f"{name}: the tab key reaches the snooze choices")
    width = d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    report(width[0] <= width[1] and width[1] <= 400,
           f"{name}: no sideways scrolling on a phone (360 px)", width)


def press(d, heading):
    """Press the form's button and wait for the page its POST returns."""
    form = d.find_element(By.XPATH, f"//form[.//h2[normalize-space()='{heading}']]")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(d, WAIT).until(lambda d: gone(form))
    # While the old document is being replaced chromedriver may answer a
    # lookup with an error about it rather than with the new page.
    WebDriverWait(d, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[role=status], [role=alert]"))


def gone(el):
    """The element's document is gone: it is stale, or chromedriver says
    its node "does not belong to the document" while the page changes
    (EC.staleness_of takes only the first for an answer)."""
    try:
        el.is_enabled()
        return False
    except WebDriverException:
        return True


def chrome():
    opts = webdriver.ChromeOptions()
    # Nothing in the background that competes with the page on a busy
    # machine (a renderer left waiting is chromedriver's "timed out").
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--no-first-run",
              "--disable-extensions", "--disable-background-networking",
              "--disable-renderer-backgrounding",
              "--disable-background-timer-throttling",
              "--disable-backgrounding-occluded-windows"):
        opts.add_argument(a)
    # A phone's screen: desktop windows are never narrower than 500 px.
    opts.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 3.0}})
    opts.binary_location = "/usr/bin/chromium"
    # Chromium's first start on a loaded machine can miss chromedriver's
    # own deadline ("session not created"): that is not nudge's fault.
    for attempt in range(3):
        try:
            d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
            break
        except SessionNotCreatedException:
            if attempt == 2:
                raise
    d.set_page_load_timeout(WAIT)
    d.implicitly_wait(0)
    return d


def full(d, nudge, flink, fid, plink, pid, tlink, tpid):
    d.get(flink)
    text = d.find_element(By.TAG_NAME, "main").text
    report("Acme" in text and "Thank Acme" in d.title,
           "the follow-up's page names the account and the reminder", text[:300])
    report("History" in text and "followup.created" in text,
           "the page shows the history", text[:300])
    accessible(d, "follow-up page")
    before = show(nudge, "followup", fid)
    d.find_element(By.CSS_SELECTOR, "input[name=snooze][value='1h']").click()
    press(d, "Snooze")
    after = show(nudge, "followup", fid)
    report("Snoozed." in d.find_element(By.TAG_NAME, "main").text,
           "Snooze says it snoozed")
    report(after["snoozes"] == before["snoozes"] + 1 and
           after["remind_at"] > before["remind_at"],
           "Snooze (1 hour) moved the reminder in the database", (before, after))
    d.get(flink)
    d.find_element(By.ID, "done-note").send_keys("called, all good")
    press(d, "Done")
    after = show(nudge, "followup", fid)
    report(after["state"] == "done" and after["note"] == "called, all good",
           "Done with a note is in the database", after)
    report("(link)" in d.find_element(By.TAG_NAME, "main").text,
           "the history says it came through a link")
    d.get(flink)
    text = d.find_element(By.TAG_NAME, "main").text
    report("Already done" in text and not d.find_elements(By.TAG_NAME, "form"),
           "a second visit says it was already done, with no buttons", text[:300])

    # An overdue promise: the ledger allows only kept (late) or broken.
    d.get(plink)
    accessible(d, "promise page")
    d.find_element(By.ID, "reneg-date").send_keys("01022031")
    press(d, "Renegotiate")
    p = show(nudge, "promise", pid)
    alert = d.find_elements(By.CSS_SELECTOR, "[role=alert]")
    report(alert and "not renegotiated" in alert[0].text and
           not p["due_at"].startswith("2031"),
           "Renegotiate after the due date is refused by the ledger's rule",
           (alert[0].text if alert else None, p["due_at"]))
    d.get(plink)
    press(d, "Promise kept")
    p = show(nudge, "promise", pid)
    report(p["state"] == "kept", "Kept marks the promise kept", p.get("state"))
    d.get(plink)
    report("The promise is kept" in d.find_element(By.TAG_NAME, "main").text,
           "a second visit says the promise is kept")
    # A promise not yet due: renegotiated to a new date with a note.
    d.get(tlink)
    d.find_element(By.ID, "reneg-date").send_keys("01022031")
    d.find_element(By.ID, "reneg-note").send_keys("customer asked for more time")
    press(d, "Renegotiate")
    p = show(nudge, "promise", tpid)
    report(p["due_at"].startswith("2031-01-02") and p["renegotiated"],
           "Renegotiate gave the promise its new due date", p)


def act(d, nudge, where, flink, fid, plink, pid):
    """Snooze, done and kept from the links of one delivered message."""
    before = show(nudge, "followup", fid)
    d.get(flink)
    d.find_element(By.CSS_SELECTOR, "input[name=snooze][value='1h']").click()
    press(d, "Snooze")
    after = show(nudge, "followup", fid)
    report(after["snoozes"] == before["snoozes"] + 1 and
           after["remind_at"] > before["remind_at"],
           f"{where}: Snooze from its link moved the reminder", (before, after))
    d.get(flink)
    press(d, "Done")
    after = show(nudge, "followup", fid)
    report(after["state"] == "done", f"{where}: Done from its link marked it done",
           after.get("state"))
    d.get(plink)
    press(d, "Promise kept")
    p = show(nudge, "promise", pid)
    report(p["state"] == "kept", f"{where}: Promise kept from its link kept it",
           p.get("state"))


d = chrome()
try:
    if sys.argv[1] == "--act":
        act(d, sys.argv[3], sys.argv[2], *sys.argv[4:8])
    else:
        full(d, *sys.argv[1:8])
except Exception as e:
    # Say where it stopped, in one line test_links.sh can show, rather
    # than chromedriver's unsymbolised stack.
    msg = (getattr(e, "msg", None) or str(e)).strip().splitlines()
    try:
        where = d.current_url
    except Exception:
        where = "a lost browser"
    report(False, f"the run stopped at {where}",
           f"{type(e).__name__}: {msg[0] if msg else ''}")
finally:
    d.quit()
sys.exit(1 if failed else 0)
