import { parseAsString, parseAsStringLiteral } from "nuqs";
import { ACTION_FILTER_VALUES, MONITOR_WINDOW, STATE_FILTER_VALUES, TIME_FILTER_VALUES } from "@/lib/monitor/filters";

/** The monitor's view in the URL, so it can be shared: ?q=lab-pc&action=reset&state=failed&by=ann@contoso.com&time=24h */
export const monitorUrlParsers = {
  q: parseAsString,
  action: parseAsStringLiteral(ACTION_FILTER_VALUES),
  state: parseAsStringLiteral(STATE_FILTER_VALUES),
  by: parseAsString,
  time: parseAsStringLiteral(TIME_FILTER_VALUES).withDefault(MONITOR_WINDOW),
};
