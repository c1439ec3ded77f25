#!/usr/bin/python3
"""Action links in a real browser (headless Chromium through Selenium):
the page of a follow-up's link and of a promise's, each button pressed,
the database checked after each press with `nudge followup show --json`
(or `promise show --json`), a second click, and an accessibility check
of the page (docs/ACCESSIBILITY.md's checklist, the parts a program can
see).  Prints "ok NAME" or "FAIL NAME: detail" lines for test_links.sh.

usage: browser_links.py NUDGE FOLLOWUP_LINK FOLLOWUP_ID PROMISE_LINK PROMISE_ID
"""
import json, re, subprocess, sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

nudge, flink, fid, plink, pid, tlink, tpid = sys.argv[1:8]
failed = 0


def report(cond, name, detail=""):
    global failed
    if cond:
        print(f"ok {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name}: {detail}", flush=True)


def show(kind, ident):
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
    WebDriverWait(d, 20).until(EC.staleness_of(form))
    WebDriverWait(d, 20).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "[role=status], [role=alert]"))


opts = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
          "--disable-dev-shm-usage"):
    opts.add_argument(a)
# A phone's screen: desktop windows are never narrower than 500 px.
opts.add_experimental_option("mobileEmulation", {
    "deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 3.0}})
opts.binary_location = "/usr/bin/chromium"
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
d.set_page_load_timeout(30)
try:
    d.get(flink)
    text = d.find_element(By.TAG_NAME, "main").text
    report("Acme" in text and "Thank Acme" in d.title,
           "the follow-up's page names the account and the reminder", text[:300])
    report("History" in text and "followup.created" in text,
           "the page shows the history", text[:300])
    accessible(d, "follow-up page")
    before = show("followup", fid)
    d.find_element(By.CSS_SELECTOR, "input[name=snooze][value='1h']").click()
    press(d, "Snooze")
    after = show("followup", fid)
    report("Snoozed." in d.find_element(By.TAG_NAME, "main").text,
           "Snooze says it snoozed")
    report(after["snoozes"] == before["snoozes"] + 1 and
           after["remind_at"] > before["remind_at"],
           "Snooze (1 hour) moved the reminder in the database", (before, after))
    d.get(flink)
    d.find_element(By.ID, "done-note").send_keys("called, all good")
    press(d, "Done")
    after = show("followup", fid)
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
    p = show("promise", pid)
    alert = d.find_elements(By.CSS_SELECTOR, "[role=alert]")
    report(alert and "not renegotiated" in alert[0].text and
           not p["due_at"].startswith("2031"),
           "Renegotiate after the due date is refused by the ledger's rule",
           (alert[0].text if alert else None, p["due_at"]))
    d.get(plink)
    press(d, "Promise kept")
    p = show("promise", pid)
    report(p["state"] == "kept", "Kept marks the promise kept", p.get("state"))
    d.get(plink)
    report("The promise is kept" in d.find_element(By.TAG_NAME, "main").text,
           "a second visit says the promise is kept")
    # A promise not yet due: renegotiated to a new date with a note.
    d.get(tlink)
    d.find_element(By.ID, "reneg-date").send_keys("01022031")
    d.find_element(By.ID, "reneg-note").send_keys("customer asked for more time")
    press(d, "Renegotiate")
    p = show("promise", tpid)
    report(p["due_at"].startswith("2031-01-02") and p["renegotiated"],
           "Renegotiate gave the promise its new due date", p)
finally:
    d.quit()
sys.exit(1 if failed else 0)
