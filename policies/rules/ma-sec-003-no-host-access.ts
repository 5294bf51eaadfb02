import { bySeverity, finding, only, type Rule } from "./types";

export const rule: Rule = {
  id: "MA-SEC-003",
  title: "No host namespaces, hostPath or docker socket",
  severity: "critical",
  kind: "security",
  description:
    "Workloads share neither the node's network, PID nor IPC namespace and mount no host path; the container runtime socket (docker.sock, containerd.sock) is singled out because mounting it is root on the node. ECS task definitions are checked for host network mode, host PID/IPC and host volumes.",
  remediation: "Remove `hostNetwork`, `hostPID`, `hostIPC` and `hostPath` volumes (ECS: `networkMode: awsvpc`, no `pidMode`/`ipcMode: host`, no host volumes); use emptyDir or a PersistentVolumeClaim for scratch and state.",
  anchors: { checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "CKV_K8S_27"], kubeLinter: ["host-network", "host-pid", "host-ipc", "docker-sock", "sensitive-host-mounts"] },
  enforcement: bySeverity("critical"),
  reads: ["container-workload"],
  check(facts) {
    return only(facts, "container-workload").flatMap((w) => {
      const shared = (["network", "pid", "ipc"] as const).filter((ns) => w.host[ns]);
      const out = shared.length > 0 ? [finding(w, `shares the host's ${shared.join(", ")} namespace${shared.length > 1 ? "s" : ""}`)] : [];
      for (const path of w.hostPaths) {
        const socket = /(docker|containerd|crio)\.sock$/.test(path) || /^\/var\/run\/?$|^\/run\/?$/.test(path);
        out.push(finding(w, socket ? `mounts the container runtime socket '${path}'` : `mounts host path '${path}'`));
      }
      return out;
    });
  },
};
