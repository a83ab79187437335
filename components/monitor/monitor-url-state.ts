import { parseAsString, parseAsStringLiteral } from "nuqs";
import { ACTION_FILTER_VALUES, DEFAULT_TIME_FILTER, STATE_FILTER_VALUES, TIME_FILTER_VALUES } from "@/lib/monitor/filters";

/** The monitor's view in the URL, so it can be shared: ?action=reset&state=failed&by=ann@contoso.com&time=24h */
export const monitorUrlParsers = {
  action: parseAsStringLiteral(ACTION_FILTER_VALUES),
  state: parseAsStringLiteral(STATE_FILTER_VALUES),
  by: parseAsString,
  time: parseAsStringLiteral(TIME_FILTER_VALUES).withDefault(DEFAULT_TIME_FILTER),
};
