// A hand-written company stack with one privileged agent container: `microagents check` must fail it.
import { deployment, hardenedContainer, defaultDeny } from "../fixtures/kit";

deployment("worker", hardenedContainer({ securityContext: { privileged: true, runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: true, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } }));
defaultDeny();
