import { overLimit, type LimitFinding } from "./check";
import { LIMITS } from "./sources";

/**
 * API Gateway resources a REST API needs for these paths: the root, and one per
 * distinct path prefix (`/a/b` needs `/a` and `/a/b`; `/a/{proxy+}` adds one).
 */
export function restApiResources(paths: ReadonlyArray<string>): number {
  const seen = new Set<string>(["/"]);
  for (const path of paths) {
    const parts = path.split("/").filter((p) => p.length > 0);
    for (let i = 1; i <= parts.length; i++) seen.add(`/${parts.slice(0, i).join("/")}`);
  }
  return seen.size;
}

export function checkRestApi(api: string, resources: number): LimitFinding[] {
  return overLimit(LIMITS.apiGatewayResourcesPerRestApi, api, resources, "request a higher 'Resources per API' quota, or give routes fewer path parts");
}

export function checkHttpApi(api: string, routes: number): LimitFinding[] {
  return overLimit(LIMITS.apiGatewayRoutesPerHttpApi, api, routes, "request a higher 'Routes per API' quota, or split the API");
}
