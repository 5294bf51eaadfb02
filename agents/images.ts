/** Images of the example agents, pinned by digest as the security policy requires. */
export const images = {
  "document-processor": "ghcr.io/acme/document-processor@sha256:96a5a5767b0e1f0a0b30ebb433dbeceb57d8b37d17195b78573164e9e41b9332",
  "language-analyzer": "ghcr.io/acme/language-analyzer@sha256:6a7cea0f2bc057d7116eaa8f536268314a92506251a4f257178c1e1c75cc59fe",
  coordinator: "ghcr.io/acme/coordinator@sha256:06330b397057c4b7fb4979b217f5a8d97b874448f9bfb69dd3fe19d10b030a9b",
  "data-fetcher": "ghcr.io/acme/data-fetcher@sha256:121eaac471563fffc258c1c21fa87e75348fd8c89411b19a7c553d8cceb02142",
  classifier: "ghcr.io/acme/classifier@sha256:f76fa49a642e34d02b3e6e90350f137cf0f9f0902b4e6b85be09176c20365427",
  intent: "ghcr.io/acme/intent@sha256:dee95ad1cbb99a647acd8185b5708debd2f97d51fb75931704f425f587c22b8d",
  priority: "ghcr.io/acme/priority@sha256:abad9803a97cd9d01ec70fbbce11d61c4ec7b659ccc37646673e929f4cc03e19",
  knowledge: "ghcr.io/acme/knowledge@sha256:b469783ea9de9161024f68e4776f027b78850d6bbad94d89711ade5c5b522c33",
  crm: "ghcr.io/acme/crm@sha256:c31a04b50560a7c61092c83ee851ad572ecf1338bf2c9f3037a4129144fd9435",
  product: "ghcr.io/acme/product@sha256:6a7664c9db27dbd3b95dfa4ad6ced0e8bfd2f08a219197987ceccd4d0d8c7328",
  generator: "ghcr.io/acme/generator@sha256:dd55421208317f692054f6861d01ef39594cc5729a5b9ae51ad051f510038b3f",
  quality: "ghcr.io/acme/quality@sha256:f03798357c6d34daf448e0135b8fc516e8384c1137a9b743370b8ac9a27eef4f",
  "email-intake": "ghcr.io/acme/email-intake@sha256:ebfd885077569095184d6a4fb32fbef33e73b18f7c68f70ae7c1dd21254f4611",
  sentiment: "ghcr.io/acme/sentiment@sha256:25b223593a4b4a77d571b9fff62b781365156b7e29f7af5c81bd41045884faee",
  technical: "ghcr.io/acme/technical@sha256:3a4a3e1e2ec268eb8338e9c9d0bd83b944db397b7ebe1ccce7e6868ae27170f4",
  "response-composer": "ghcr.io/acme/response-composer@sha256:2e9c57d123647aa3b7af97068fa1d9f90c84d61cda8f58d81d539f958b83223d",
} as const;
