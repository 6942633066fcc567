import { createHash } from 'node:crypto';
import type { OrgPolicy } from '../shared/org-policy';
import type { Config } from './config';

/** The policy the add-in applies, from the server's configuration. */
export function buildOrgPolicy(config: Config): OrgPolicy {
  const p = config.policy;
  const body: Omit<OrgPolicy, 'version'> = {
    orgDomains: p.orgDomains,
    detection: {
      enabledTypes: p.enabledTypes,
      minScore: p.minScore,
      typeThresholds: {},
      keywords: p.keywords,
      ...(p.phi === undefined ? {} : { phi: p.phi }),
    },
    tls: { minimumLevel: p.tlsMinimum, alwaysSecure: p.alwaysSecure, knownGood: p.knownGood },
    action: p.action,
    unscannedAttachments: p.unscannedAttachments,
    overrideReason: p.overrideReason,
  };
  const version = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 16);
  return { ...body, version };
}
