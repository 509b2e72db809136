/**
 * Checks of deploy/ that catch what breaks a deployment, as pure functions of a
 * DeployInput: each returns the problems it found, as sentences naming file and object.
 */
import type { DeployInput, Problem } from './deploy.model.js';

import { checkCompose } from './checks/compose.check.js';
import { checkCoverage } from './checks/coverage.check.js';
import { checkDockerfile } from './checks/dockerfile.check.js';
import { checkEnv } from './checks/env.check.js';
import { checkImages } from './checks/image.check.js';
import { checkKustomize } from './checks/kustomize.check.js';
import { checkNats } from './checks/nats.check.js';
import { checkNatsUsers } from './checks/nats-users.check.js';
import { checkRuntimes } from './checks/runtime.check.js';
import { checkProbes } from './checks/probe.check.js';
import { checkResources } from './checks/resource.check.js';
import { checkSecrets } from './checks/secret.check.js';
import { checkServiceLinks } from './checks/service-link.check.js';
import { checkServices } from './checks/service.check.js';
import { checkVolumes } from './checks/volume.check.js';

export { composeDocs, containers, k8sObjects, serviceOfCommand } from './checks/k8s.query.js';
export { isOurImage, parseImage } from './checks/image.check.js';
export { realLookingSecret } from './checks/secret.check.js';
export type { Problem } from './deploy.model.js';

/** Every check, by name. */
export const CHECKS = {
  images: checkImages,
  env: checkEnv,
  probes: checkProbes,
  services: checkServices,
  serviceLinks: checkServiceLinks,
  volumes: checkVolumes,
  resources: checkResources,
  nats: checkNats,
  natsUsers: checkNatsUsers,
  runtimes: (input: DeployInput) => checkRuntimes(input),
  secrets: checkSecrets,
  kustomize: checkKustomize,
  compose: checkCompose,
  coverage: checkCoverage,
  dockerfile: checkDockerfile,
} as const;

export function runAllChecks(input: DeployInput): Problem[] {
  const problems = Object.values(CHECKS).flatMap((check) => check(input));
  if (input.parseErrors.length) problems.unshift(...input.parseErrors);
  return problems;
}
