import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Where `npm run bench` writes what it measured: docs quote this file, never figures typed by hand. */
const BENCHMARKS_DOC = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

const PREAMBLE = `# Benchmarks

Written by \`npm run bench\` (each section by its own part: \`npm run bench -- --only NAME\` rewrites
that section alone). Nothing here is typed by hand. Speeds drift 2–3× with this kind of machine's
load, so comparisons with PyTorch are interleaved pairs reported as ratios with their range, never
absolute times taken at different moments.
`;

/**
 * Runs one part of the bench, printing its lines as usual, and puts them in docs/benchmarks.md
 * under the part's own heading (replacing what an earlier run wrote there), stamped with the date
 * and the machine.
 */
export async function recordSection(name: string, title: string, part: () => void | Promise<void>): Promise<void> {
  const lines: string[] = [];
  const print = console.log;
  console.log = (...args: unknown[]) => {
    print(...args);
    lines.push(args.map(String).join(' '));
  };
  try {
    await part();
  } finally {
    console.log = print;
  }
  const body = lines.join('\n').replace(/^\n+/, '');
  if (!body) return;
  const block = `<!-- bench:${name} -->\n## ${title}\n\n${machineStamp()}\n\n\`\`\`text\n${body}\n\`\`\`\n<!-- /bench:${name} -->`;
  writeSection(name, block);
}

function writeSection(name: string, block: string): void {
  const doc = existsSync(BENCHMARKS_DOC) ? readFileSync(BENCHMARKS_DOC, 'utf8') : PREAMBLE;
  const pattern = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  const next = pattern.test(doc) ? doc.replace(pattern, () => block) : `${doc.trimEnd()}\n\n${block}\n`;
  mkdirSync(dirname(BENCHMARKS_DOC), { recursive: true });
  const temp = `${BENCHMARKS_DOC}.tmp`;
  writeFileSync(temp, next);
  renameSync(temp, BENCHMARKS_DOC);
}

function machineStamp(): string {
  const cores = cpus();
  const torch = pythonPackageVersion('torch');
  const facts = [`${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}`, `Node ${process.versions.node}`, ...(torch ? [`PyTorch ${torch}`] : [])];
  return `Measured ${new Date().toISOString().slice(0, 10)} on ${facts.join(', ')}.`;
}

function pythonPackageVersion(module: string): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      return execFileSync(python, ['-c', `import ${module}; print(${module}.__version__)`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // not this python
    }
  }
  return undefined;
}
