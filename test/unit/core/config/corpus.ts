// The compose corpus's index and how each case is planned (shared by corpus.test.ts and corpus-v1.test.ts).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { planFromPath, type PlanResult } from "../../../../src/core/config";

export const CORPUS = path.resolve(__dirname, "../../../fixtures/compose-corpus");

export interface CorpusCase {
  id: string;
  target?: string;
  env?: Record<string, string>;
  /** docker-compose v1 reads it the same way v2 does (the secondary check in corpus-v1.test.ts). */
  v1: boolean;
  note: string;
}

export const corpus = JSON.parse(readFileSync(path.join(CORPUS, "index.json"), "utf8")) as CorpusCase[];

export function planCase(c: CorpusCase): Promise<PlanResult> {
  return planFromPath(path.join(CORPUS, c.id, c.target ?? ""), { env: c.env ?? {} });
}
