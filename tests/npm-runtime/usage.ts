// A platform's use of contentengine-runtime, type-checked by NpmRuntimeTests with `tsc --noEmit`.
import {
  readPackage, openPackage, programFromGraph, readPatientState, conditionHolds, evaluateCondition,
  PackageError, PatientStateError, type ProgramStatus, type ModuleStatus, type LockReason, type Program,
} from 'contentengine-runtime';

export async function summary(file: string, stateJson: string, now: Date): Promise<string[]> {
  let program: Program;
  try {
    program = (await readPackage(file)).program;
  } catch (e) {
    if (e instanceof PackageError) return [`refused (${e.code}): ${e.message} ${e.path ?? ''}`];
    throw e;
  }
  let status: ProgramStatus;
  try {
    status = program.evaluateState(readPatientState(stateJson), now);
  } catch (e) {
    if (e instanceof PatientStateError) return [`state refused (${e.code}): ${e.message}`];
    throw e;
  }
  const lines = [`week ${status.week}, phase ${status.phase ?? 'none'}`, `open: ${status.open.join(', ')}`];
  for (const m of status.modules as ModuleStatus[]) {
    const reasons: LockReason[] = m.reasons;
    if (m.state === 'locked') lines.push(`${m.id}: ${reasons.map((r) => r.message).join('; ')}`);
    if (m.recommendationReason) lines.push(`${m.id}: ${m.recommendationReason[program.defaultLocale] ?? ''}`);
  }
  for (const c of status.choices) lines.push(`${c.phase}: ${c.remaining ?? 'any'} more, ${c.stillRequired} required`);
  if (status.next) lines.push(`next: week ${status.next.week} ${status.next.date ?? ''} ${status.next.modules.join(', ')}`);
  return lines;
}

export function fromGraph(graph: string, bytes: Uint8Array): boolean {
  const program = programFromGraph(graph);
  const offer = program.module('sleep')?.offerWhen;
  const progress = program.evaluate({ week: 7, completed: ['welcome'], answers: { check: { q1: 2 } } });
  const value = offer ? evaluateCondition(offer.tree, { week: progress.week }) : null;
  openPackage(bytes).verifyAll();
  return (offer !== undefined && conditionHolds(offer.tree, { week: 7 })) || value === null;
}
