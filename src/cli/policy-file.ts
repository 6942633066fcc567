/**
 * Loads a detection policy from a JSON file for `--policy`, validated with the
 * same schema the server applies, so a policy that works here works there.
 */
import type { DetectionPolicy } from '../shared/detection-policy';
import { detectionPolicySchema } from '../shared/policy';
import { UsageError } from './command';
import { readFileBytes } from './input';
import { decodeBytes } from './charset';
import { describeIssues } from './issues';

export async function loadPolicyFile(path: string): Promise<DetectionPolicy> {
  const text = decodeBytes(await readFileBytes(path));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`invalid policy '${path}': not valid JSON`);
  }
  const result = detectionPolicySchema.safeParse(data);
  if (!result.success) {
    throw new UsageError(`invalid policy '${path}': ${describeIssues(result.error.issues)}`);
  }
  return result.data;
}
