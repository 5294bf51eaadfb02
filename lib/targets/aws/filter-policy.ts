/** The SNS filter policy lives with the plan's event wiring, where the limits module checks it too. */
export { filterPolicy } from "../../plan/events";
