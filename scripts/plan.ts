// npm run plan -- <file or folder>: the CreatePlan as JSON on stdout; diagnostics as
// file:line:col: severity: message (field) on stderr; exit 1 when there is any error.
import { formatDiagnostic, planFromPath } from "../src/core/config";

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target || process.argv.length > 3) {
    console.error("usage: npm run plan -- <compose file | Dockerfile | folder>");
    return 2;
  }
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const { plan, diagnostics } = await planFromPath(target, { env });
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (!plan) return 1;
  console.log(JSON.stringify(plan, null, 2));
  return 0;
}

main().then((code) => process.exit(code));
