/*
 * The team test_schedule.c and torture_cases.c schedule for, as pieces
 * of nudge.conf text: a log and a chat channel; anna (both) in
 * Stockholm and bo (a digest at 08:30) in New York, each with the weekly
 * summary (anna by her own setting, bo by the default), with
 * more people after them; two rules on a deal won, and reminders late
 * after a day.  A test writes its own settings between the pieces.
 */
#ifndef NUDGE_TEST_TEAM_CONF_H
#define NUDGE_TEST_TEAM_CONF_H

#define TEAM_CONF_CHANNELS                                                  \
    "timezone = \"Europe/Stockholm\";\n"                                   \
    "weekly_summary = \"fri 16:00\";\n"                                    \
    "channels = (\n"                                                        \
    "  { name = \"log\"; type = \"log\"; },\n"                              \
    "  { name = \"chat\"; type = \"webhook\"; format = \"slack\";\n"        \
    "    url = \"https://hooks.example.com/T0/B0\"; }\n"                    \
    ");\n"

/* more: further people, each after ",\n". */
#define TEAM_CONF_PEOPLE(more)                                              \
    "people = (\n"                                                          \
    "  { handle = \"anna\"; timezone = \"Europe/Stockholm\";\n"             \
    "    hours = \"08:00-17:00\"; notify = [ \"log\", \"chat\" ];\n"         \
    "    weekly_summary = true; },\n"                                       \
    "  { handle = \"bo\"; timezone = \"America/New_York\";\n"               \
    "    hours = \"08:00-17:00\"; digest = \"08:30\"; notify = [ \"log\" ]; }" \
    more "\n"                                                              \
    ");\n"

#define TEAM_CONF_RULES                                                     \
    "rules = (\n"                                                           \
    "  { name = \"thank-you\"; on = \"deal.won\"; after = \"1h\";\n"         \
    "    message = \"Thank {{account}} for {{deal}}\"; },\n"                \
    "  { name = \"urgent\"; on = \"deal.won\"; after = \"2h\";\n"            \
    "    notify = [ \"chat\" ]; message = \"Invoice {{account}}\"; }\n"      \
    ");\n"                                                                  \
    "delivery = { late_after = \"24h\"; };\n"

#endif
