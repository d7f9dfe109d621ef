import { createRequire } from 'node:module';
import { arch, cpus, platform } from 'node:os';
import appPackage from '../../package.json';
import type { Environment } from '../results/records';
import type { BackendStatus } from './backend';

const FBT_PACKAGES = [
  '@fbt/tensor',
  '@fbt/autograd',
  '@fbt/surrogates',
  '@fbt/layers',
  '@fbt/datasets',
] as const;

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The machine and software a run executes on, recorded in its `config.json`. */
export function currentEnvironment(backend: BackendStatus): Environment {
  const packages: Record<string, string> = { [appPackage.name]: appPackage.version };
  for (const name of FBT_PACKAGES) packages[name] = packageVersion(name);
  const cpuList = cpus();
  return {
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: cpuList.length,
    backend: backend.name,
    backendMode: backend.mode,
    packages,
  };
}
