/**
 * The TLS checker's tables, merged into the store's `Database`. They hold
 * only public facts about mail domains (levels, MX hosts, certificates,
 * MTA-STS policies), shared by every server instance.
 */
export interface TlsCheckTables {
  tls_domain_verdicts: TlsDomainVerdictTable;
  tls_mx_results: TlsMxResultTable;
  tls_mta_sts_policies: TlsMtaStsPolicyTable;
  tls_probe_leases: TlsProbeLeaseTable;
}

export interface TlsDomainVerdictTable {
  /** ASCII form, lower case. */
  domain: string;
  level: string;
  /** JSON of the TlsVerdict without its policy reading. */
  verdict_json: string;
  checked_at: string;
  expires_at: string;
}

export interface TlsMxResultTable {
  /** MX host name, lower case. */
  host: string;
  level: string;
  /** JSON of the MxEvidence. */
  evidence_json: string;
  checked_at: string;
  expires_at: string;
}

export interface TlsMtaStsPolicyTable {
  domain: string;
  /** The `id` of the TXT record the policy was fetched under. */
  policy_id: string;
  /** JSON of the parsed policy. */
  policy_json: string;
  fetched_at: string;
  /** fetched_at + max_age. */
  expires_at: string;
}

/** Who is probing a domain right now: one probe per domain across all instances. */
export interface TlsProbeLeaseTable {
  domain: string;
  holder: string;
  expires_at: string;
}
