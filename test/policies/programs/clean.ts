// A hand-written company stack that passes every rule.
import { deployment, defaultDeny } from "../fixtures/kit";

deployment("worker");
defaultDeny();
