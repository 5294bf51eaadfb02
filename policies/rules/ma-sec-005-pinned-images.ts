import { bySeverity, finding, only, type Finding, type Rule } from "./types";

/** Splits an image reference into registry/repository, tag and digest. */
export function imageParts(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  const name = colon > slash ? rest.slice(0, colon) : rest;
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `nginx` is `docker.io/library/nginx`: registries are matched on the full name. */
function fullName(name: string): string {
  const first = name.split("/")[0];
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) return name;
  return name.includes("/") ? `docker.io/${name}` : `docker.io/library/${name}`;
}

export const rule: Rule = {
  id: "MA-SEC-005",
  title: "Images pinned by digest from an allowed registry; never `latest`",
  severity: "high",
  kind: "security",
  description:
    "Every container image is pinned by digest (`@sha256:...`), so what was reviewed is what runs, and comes from a registry on the allow-list (`allowedRegistries` in the policy config, as prefixes such as `ghcr.io/acme/`; no list allows any registry). The mutable tag `latest` and untagged images are rejected outright.",
  remediation: "Reference images as `registry/repository@sha256:<digest>` (a tag may stay for readers: `repo:1.4.2@sha256:...`), from a registry on the allow-list.",
  anchors: { checkov: ["CKV_K8S_14", "CKV_K8S_43"], kubeLinter: ["latest-tag"] },
  enforcement: bySeverity("high"),
  reads: ["container-workload"],
  check(facts, ctx) {
    return only(facts, "container-workload").flatMap((w) =>
      w.containers.flatMap((c): Finding[] => {
        if (!c.image) return [finding(w, `container '${c.name}' names no image`)];
        const p = imageParts(c.image);
        const problems: string[] = [];
        if (!p.digest) problems.push(p.tag === "latest" ? "uses the mutable tag 'latest'" : p.tag ? "is not pinned by digest" : "has neither tag nor digest");
        else if (!/^sha256:[a-f0-9]{64}$/.test(p.digest)) problems.push(`has a malformed digest '${p.digest}'`);
        const registry = fullName(p.name);
        if (ctx.allowedRegistries.length > 0 && !ctx.allowedRegistries.some((r) => registry.startsWith(r) || p.name.startsWith(r))) {
          problems.push(`comes from a registry not on the allow-list (${ctx.allowedRegistries.join(", ")})`);
        }
        return problems.length > 0 ? [finding(w, `container '${c.name}' image '${c.image}' ${problems.join("; ")}`)] : [];
      }),
    );
  },
};
