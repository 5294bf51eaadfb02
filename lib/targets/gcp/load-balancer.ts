import * as certificatemanager from "@pulumi/gcp/certificatemanager";
import * as compute from "@pulumi/gcp/compute";
import * as dns from "@pulumi/gcp/dns";
import * as pulumi from "@pulumi/pulumi";
import type { EntryDnsRecord } from "../front-door-entry";
import type { GcpLanding } from "./landing";
import { gcpName, GCP_NAME_LIMITS } from "./names";
import { READY_PATH, PROXY_PORT } from "./gateway-shape";

/** The backend of the load balancer: the proxy's serverless NEG (Cloud Run) or its zonal NEGs (GKE, health-checked). */
export type ProxyBackend =
  | { readonly kind: "serverless"; readonly neg: compute.RegionNetworkEndpointGroup }
  | { readonly kind: "zonal"; readonly negs: pulumi.Output<string[]> };

export interface LoadBalancerArgs {
  readonly name: string;
  readonly landing: GcpLanding;
  readonly hostname: string;
  readonly publicGateway: boolean;
  readonly backend: ProxyBackend;
  readonly securityPolicy: pulumi.Input<string>;
  /** Cloud DNS managed zone for the validation and address records (config `microagents:dnsZone`); without one they are exported. */
  readonly dnsZone?: string;
  /** Create the certificate's DNS validation record (once per project and host name). @default true */
  readonly validationRecord?: boolean;
  /** Create an A record for the host name (not when a failover entry answers for it). @default true */
  readonly addressRecord?: boolean;
}

export interface GcpLoadBalancer {
  readonly address: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  readonly backendService: compute.BackendService | compute.RegionBackendService;
  /** The CNAME the certificate's DNS authorization needs (created in `dnsZone`, else to create by hand). */
  readonly validation: pulumi.Output<{ name: string; type: string; data: string }>;
}

/** The DNS authorization's record as an entry's record writers take it (front-door-entry.ts EntryDnsRecord): written into the zone of a global entry's host name. */
export function authorizationRecord(loadBalancer: Pick<GcpLoadBalancer, "validation">): pulumi.Output<EntryDnsRecord> {
  return loadBalancer.validation.apply((r) => ({ name: r.name, type: r.type, value: r.data }));
}

/** The proxy-only subnet of a regional internal ALB: a /23 after the target's private-services range (10.<16i>.48.0/23). */
export function proxyOnlyRange(nodesCidr: string): string {
  const m = /^10\.(\d+)\.0\.0\/20$/.exec(nodesCidr);
  if (!m) throw new Error(`unexpected node range ${nodesCidr}`);
  return `10.${m[1]}.48.0/23`;
}

/** SSL policy of every GCP gateway: MODERN profile, TLS 1.2 at least. */
export const SSL_POLICY = { profile: "MODERN", minTlsVersion: "TLS_1_2" } as const;
/** Backend logging: every request (sample rate 1). */
export const BACKEND_LOGS = { enable: true, sampleRate: 1 } as const;
/** Google's health-check and front-end proxy ranges (global external ALB to GKE NEGs). */
export const GOOGLE_LB_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/**
 * The gateway's load balancer, HTTPS only: a global external Application Load
 * Balancer (EXTERNAL_MANAGED) when `gateway.public`, else a regional internal one
 * (INTERNAL_MANAGED, with its proxy-only subnet); a Google-managed certificate for
 * the host name from Certificate Manager (DNS authorization), SSL policy MODERN
 * with TLS 1.2; one backend service to the gateway proxy with Cloud Armor and
 * logging on every request; a URL map sending the host to the proxy (other hosts
 * are redirected to it); port 80 only redirects to HTTPS.
 */
export function gatewayLoadBalancer(args: LoadBalancerArgs, opts: pulumi.CustomResourceOptions): GcpLoadBalancer {
  return args.publicGateway ? globalExternal(args, opts) : regionalInternal(args, opts);
}

function names(args: LoadBalancerArgs) {
  const n = (...parts: string[]) => gcpName([args.landing.prefix, args.landing.region, "gw", ...parts], GCP_NAME_LIMITS.compute);
  return { n, labels: { ...args.landing.labels } };
}

function redirect(hostname: string) {
  return { hostRedirect: hostname, httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" };
}

function hostRouting(hostname: string, service: pulumi.Input<string>) {
  return {
    hostRules: [{ hosts: [hostname], pathMatcher: "gateway" }],
    pathMatchers: [{ name: "gateway", defaultService: service }],
    defaultUrlRedirect: redirect(hostname),
  };
}

function records(args: LoadBalancerArgs, auth: certificatemanager.DnsAuthorization, address: pulumi.Output<string>, opts: pulumi.CustomResourceOptions): pulumi.Output<{ name: string; type: string; data: string }> {
  const record = auth.dnsResourceRecords.apply((r) => {
    const first = (r ?? [])[0];
    return { name: first?.name ?? "", type: first?.type ?? "CNAME", data: first?.data ?? "" };
  });
  if (args.dnsZone) {
    if (args.validationRecord ?? true) new dns.RecordSet(`${args.name}-validation`, { managedZone: args.dnsZone, name: record.name, type: record.type, ttl: 300, rrdatas: [record.data] }, opts);
    if (args.addressRecord ?? true) new dns.RecordSet(`${args.name}-address`, { managedZone: args.dnsZone, name: `${args.hostname}.`, type: "A", ttl: 300, rrdatas: [address] }, opts);
  }
  return record;
}

function globalExternal(args: LoadBalancerArgs, opts: pulumi.CustomResourceOptions): GcpLoadBalancer {
  const { n, labels } = names(args);
  const { landing, hostname } = args;
  const auth = new certificatemanager.DnsAuthorization(`${args.name}-dns-auth`, { name: n("auth"), domain: hostname, location: "global", type: "PER_PROJECT_RECORD", labels }, opts);
  const cert = new certificatemanager.Certificate(`${args.name}-cert`, { name: n("cert"), scope: "DEFAULT", managed: { domains: [hostname], dnsAuthorizations: [auth.id] }, labels }, opts);
  const map = new certificatemanager.CertificateMap(`${args.name}-certs`, { name: n("certs"), description: `Certificates of ${hostname}`, labels }, opts);
  new certificatemanager.CertificateMapEntry(`${args.name}-cert`, { name: n("cert"), map: map.name, hostname, certificates: [cert.id], labels }, opts);
  // The same certificate as the map's PRIMARY entry, which Certificate Manager serves to a client that sends no SNI or an SNI
  // no entry matches (CertificateMapEntry.Matcher PRIMARY; certificate-manager/docs/certificate-selection-logic): without it such
  // a handshake fails. The uptime checks connect to the address, and an IP address is never sent as SNI (RFC 6066).
  new certificatemanager.CertificateMapEntry(`${args.name}-cert-primary`, { name: n("cert-primary"), map: map.name, matcher: "PRIMARY", certificates: [cert.id], labels }, opts);
  const ssl = new compute.SSLPolicy(`${args.name}-tls`, { name: n("tls"), description: "TLS 1.2 or later, modern ciphers", ...SSL_POLICY }, opts);

  const healthCheck =
    args.backend.kind === "zonal"
      ? new compute.HealthCheck(`${args.name}-ready`, { name: n("ready"), checkIntervalSec: 10, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 3, httpHealthCheck: { port: PROXY_PORT, requestPath: READY_PATH }, logConfig: { enable: true } }, opts)
      : undefined;
  const backends = args.backend.kind === "serverless" ? [{ group: args.backend.neg.id }] : args.backend.negs.apply((negs) => negs.map((group) => ({ group, balancingMode: "RATE", maxRatePerEndpoint: 500 })));
  const backendService = new compute.BackendService(
    `${args.name}-proxy`,
    {
      name: n("proxy"),
      description: `Gateway proxy of ${landing.prefix} in ${landing.region}`,
      loadBalancingScheme: "EXTERNAL_MANAGED",
      protocol: args.backend.kind === "serverless" ? "HTTPS" : "HTTP",
      backends,
      ...(healthCheck ? { healthChecks: healthCheck.id, timeoutSec: 300 } : {}),
      securityPolicy: args.securityPolicy,
      logConfig: { ...BACKEND_LOGS },
    },
    opts,
  );
  const urlMap = new compute.URLMap(`${args.name}`, { name: n("https"), description: `${hostname} to the gateway proxy`, ...hostRouting(hostname, backendService.id) }, opts);
  const httpsProxy = new compute.TargetHttpsProxy(
    `${args.name}-https`,
    { name: n("https"), urlMap: urlMap.id, certificateMap: pulumi.interpolate`//certificatemanager.googleapis.com/${map.id}`, sslPolicy: ssl.id, quicOverride: "NONE" },
    opts,
  );
  const address = new compute.GlobalAddress(`${args.name}-ip`, { name: n("ip"), addressType: "EXTERNAL", ipVersion: "IPV4", description: `${hostname}`, labels }, opts);
  new compute.GlobalForwardingRule(`${args.name}-https`, { name: n("https"), target: httpsProxy.id, ipAddress: address.address, ipProtocol: "TCP", portRange: "443", loadBalancingScheme: "EXTERNAL_MANAGED", labels }, opts);
  const redirectMap = new compute.URLMap(`${args.name}-redirect`, { name: n("http"), description: "HTTP to HTTPS", defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" } }, opts);
  const httpProxy = new compute.TargetHttpProxy(`${args.name}-http`, { name: n("http"), urlMap: redirectMap.id }, opts);
  new compute.GlobalForwardingRule(`${args.name}-http`, { name: n("http"), target: httpProxy.id, ipAddress: address.address, ipProtocol: "TCP", portRange: "80", loadBalancingScheme: "EXTERNAL_MANAGED", labels }, opts);
  if (args.backend.kind === "zonal") {
    new compute.Firewall(
      `${args.name}-lb`,
      { name: n("lb"), network: landing.network.network.id, direction: "INGRESS", priority: 1000, description: "Google's load balancer and health checks to the gateway proxy pods", sourceRanges: [...GOOGLE_LB_RANGES], allows: [{ protocol: "tcp", ports: [String(PROXY_PORT)] }], logConfig: { metadata: "INCLUDE_ALL_METADATA" } },
      opts,
    );
  }
  return { address: address.address, url: pulumi.output(`https://${hostname}`), backendService, validation: records(args, auth, address.address, opts) };
}

function regionalInternal(args: LoadBalancerArgs, opts: pulumi.CustomResourceOptions): GcpLoadBalancer {
  const { n, labels } = names(args);
  const { landing, hostname } = args;
  const region = landing.region;
  const auth = new certificatemanager.DnsAuthorization(`${args.name}-dns-auth`, { name: n("auth"), domain: hostname, location: region, type: "PER_PROJECT_RECORD", labels }, opts);
  const cert = new certificatemanager.Certificate(`${args.name}-cert`, { name: n("cert"), location: region, managed: { domains: [hostname], dnsAuthorizations: [auth.id] }, labels }, opts);
  const ssl = new compute.RegionSslPolicy(`${args.name}-tls`, { name: n("tls"), region, description: "TLS 1.2 or later, modern ciphers", ...SSL_POLICY }, opts);
  const proxyOnly = new compute.Subnetwork(
    `${args.name}-proxy-only`,
    { name: n("proxy-only"), region, network: landing.network.network.id, ipCidrRange: proxyOnlyRange(landing.network.cidr), purpose: "REGIONAL_MANAGED_PROXY", role: "ACTIVE" },
    opts,
  );
  const healthCheck =
    args.backend.kind === "zonal"
      ? new compute.RegionHealthCheck(`${args.name}-ready`, { name: n("ready"), region, checkIntervalSec: 10, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 3, httpHealthCheck: { port: PROXY_PORT, requestPath: READY_PATH }, logConfig: { enable: true } }, opts)
      : undefined;
  const backends = args.backend.kind === "serverless" ? [{ group: args.backend.neg.id, balancingMode: "UTILIZATION", capacityScaler: 1 }] : args.backend.negs.apply((negs) => negs.map((group) => ({ group, balancingMode: "RATE", maxRatePerEndpoint: 500, capacityScaler: 1 })));
  const backendService = new compute.RegionBackendService(
    `${args.name}-proxy`,
    {
      name: n("proxy"),
      region,
      description: `Gateway proxy of ${landing.prefix} in ${region}`,
      loadBalancingScheme: "INTERNAL_MANAGED",
      protocol: args.backend.kind === "serverless" ? "HTTPS" : "HTTP",
      backends,
      ...(healthCheck ? { healthChecks: healthCheck.id, timeoutSec: 300 } : {}),
      securityPolicy: args.securityPolicy,
      logConfig: { ...BACKEND_LOGS },
    },
    opts,
  );
  const urlMap = new compute.RegionUrlMap(`${args.name}`, { name: n("https"), region, description: `${hostname} to the gateway proxy`, ...hostRouting(hostname, backendService.id) }, opts);
  const httpsProxy = new compute.RegionTargetHttpsProxy(`${args.name}-https`, { name: n("https"), region, urlMap: urlMap.id, certificateManagerCertificates: [cert.id], sslPolicy: ssl.id }, opts);
  const address = new compute.Address(`${args.name}-ip`, { name: n("ip"), region, addressType: "INTERNAL", subnetwork: landing.network.subnet.id, purpose: "SHARED_LOADBALANCER_VIP", description: hostname, labels }, opts);
  const rule = (suffix: string, target: pulumi.Input<string>, port: string) =>
    new compute.ForwardingRule(
      `${args.name}-${suffix}`,
      { name: n(suffix), region, target, ipAddress: address.address, ipProtocol: "TCP", portRange: port, loadBalancingScheme: "INTERNAL_MANAGED", network: landing.network.network.id, subnetwork: landing.network.subnet.id, networkTier: "PREMIUM", allowGlobalAccess: false, labels },
      { ...opts, dependsOn: [proxyOnly] },
    );
  rule("https", httpsProxy.id, "443");
  const redirectMap = new compute.RegionUrlMap(`${args.name}-redirect`, { name: n("http"), region, description: "HTTP to HTTPS", defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" } }, opts);
  const httpProxy = new compute.RegionTargetHttpProxy(`${args.name}-http`, { name: n("http"), region, urlMap: redirectMap.id }, opts);
  rule("http", httpProxy.id, "80");
  if (args.backend.kind === "zonal") {
    new compute.Firewall(
      `${args.name}-lb`,
      { name: n("lb"), network: landing.network.network.id, direction: "INGRESS", priority: 1000, description: "The internal load balancer's proxies and Google's health checks to the gateway proxy pods", sourceRanges: [proxyOnlyRange(landing.network.cidr), ...GOOGLE_LB_RANGES], allows: [{ protocol: "tcp", ports: [String(PROXY_PORT)] }], logConfig: { metadata: "INCLUDE_ALL_METADATA" } },
      opts,
    );
  }
  return { address: address.address, url: pulumi.output(`https://${hostname}`), backendService, validation: records(args, auth, address.address, opts) };
}
