/** Audience of Entra workload identity federation. */
export const FEDERATION_AUDIENCE = "api://AzureADTokenExchange";
/** The KEDA add-on's operator ServiceAccount: its tokens are exchanged for KEDA's identity. */
export const KEDA_OPERATOR_SUBJECT = "system:serviceaccount:kube-system:keda-operator";
