import { overLimit, type LimitFinding } from "./check";
import { LIMITS } from "./sources";

export function checkUserGroup(group: string, users: number): LimitFinding[] {
  return overLimit(LIMITS.elasticacheUsersPerUserGroup, group, users, "let agents share cache users (the AWS targets do from 100 agents on)");
}
