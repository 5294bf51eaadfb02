import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { fleetNames } from "./names";

const CERT_MANAGER_API = "cert-manager.io/v1";

/** Inputs of a cert-manager Certificate signed by the fleet's private CA. */
export interface CertificateParams {
  readonly name: string;
  readonly namespace: string;
  readonly secretName: string;
  readonly fleet: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Server names; none for a client certificate. @default [] */
  readonly dnsNames?: ReadonlyArray<string>;
  /** @default ["server auth"] with dnsNames, else ["client auth"] */
  readonly usages?: ReadonlyArray<string>;
  /** Subject common name. @default none */
  readonly commonName?: string;
}

/** A certificate from the fleet's CA issuer: ECDSA P-256, 90 days, renewed 30 days early, key rotated. */
export function fleetCertificate(logicalName: string, p: CertificateParams, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  const names = fleetNames(p.fleet);
  const dnsNames = p.dnsNames ?? [];
  return new k8s.apiextensions.CustomResource(
    logicalName,
    {
      apiVersion: CERT_MANAGER_API,
      kind: "Certificate",
      metadata: { name: p.name, namespace: p.namespace, labels: { ...p.labels } },
      spec: {
        secretName: p.secretName,
        ...(p.commonName ? { commonName: p.commonName } : {}),
        ...(dnsNames.length > 0 ? { dnsNames: [...dnsNames] } : {}),
        duration: "2160h",
        renewBefore: "720h",
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        usages: [...(p.usages ?? (dnsNames.length > 0 ? ["server auth"] : ["client auth"])), "digital signature"],
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: names.caIssuer },
      },
    },
    opts,
  );
}

/**
 * The fleet's private CA: a self-signed ClusterIssuer signs one CA certificate (in
 * cert-manager's namespace), and a CA ClusterIssuer signs every server and client
 * certificate of the fleet. Each issued Secret carries `ca.crt`, so clients in any
 * namespace trust the fleet's servers without a shared trust bundle.
 */
export function fleetCa(
  prefix: string,
  fleet: string,
  certManagerNamespace: string,
  labels: Readonly<Record<string, string>>,
  opts: Omit<pulumi.CustomResourceOptions, "dependsOn">,
  dependsOn: ReadonlyArray<pulumi.Resource>,
): pulumi.Resource[] {
  const names = fleetNames(fleet);
  const selfSigned = new k8s.apiextensions.CustomResource(
    `${prefix}-selfsigned`,
    { apiVersion: CERT_MANAGER_API, kind: "ClusterIssuer", metadata: { name: names.selfSignedIssuer, labels: { ...labels } }, spec: { selfSigned: {} } },
    { ...opts, dependsOn: [...dependsOn] },
  );
  const ca = new k8s.apiextensions.CustomResource(
    `${prefix}-ca`,
    {
      apiVersion: CERT_MANAGER_API,
      kind: "Certificate",
      metadata: { name: names.caSecret, namespace: certManagerNamespace, labels: { ...labels } },
      spec: {
        isCA: true,
        commonName: `${fleet} microagents CA`,
        secretName: names.caSecret,
        duration: "87600h",
        renewBefore: "8760h",
        privateKey: { algorithm: "ECDSA", size: 256 },
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: names.selfSignedIssuer },
      },
    },
    { ...opts, dependsOn: [...dependsOn, selfSigned] },
  );
  const issuer = new k8s.apiextensions.CustomResource(
    `${prefix}-ca-issuer`,
    { apiVersion: CERT_MANAGER_API, kind: "ClusterIssuer", metadata: { name: names.caIssuer, labels: { ...labels } }, spec: { ca: { secretName: names.caSecret } } },
    { ...opts, dependsOn: [...dependsOn, ca] },
  );
  return [selfSigned, ca, issuer];
}
