// One public call in progress: its instant, the events it will return, and the work its mutations
// discovered for `settle()` to finish — callers who became ready, agents who became idle, languages that
// became bridgeable, classes whose capacity must be re-checked. All of it is emptied before the call
// returns, so nothing here outlives a call except `now`.
import type { AgentRec, CallerClass, CallerRec } from './records';
import type { LobbyEvent } from './types';

/** The sources of new possible pairs, handed to one matching pass. */
export interface MatchWork {
  classes: Set<CallerClass>;
  agents: Set<AgentRec>;
}

export class Transaction {
  private at = 0;
  private events: LobbyEvent[] = [];
  private readonly readyCallers = new Set<CallerRec>();
  private readonly idleAgents = new Set<AgentRec>();
  private readonly bridgeOpened = new Set<CallerClass>();
  private readonly capacityCheck = new Set<CallerClass>();
  private capacityCheckAll = false;

  /** The instant of the call being processed: one clock read per public call. */
  get now(): number {
    return this.at;
  }

  begin(now: number): number {
    this.at = now;
    return now;
  }

  emit(event: LobbyEvent): void {
    this.events.push(event);
  }

  /** The events of the call, in the order they happened; the list starts empty again. */
  drain(): LobbyEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  callerReady(caller: CallerRec): void {
    this.readyCallers.add(caller);
  }

  agentIdle(agent: AgentRec): void {
    this.idleAgents.add(agent);
  }

  bridgeOpenedFor(cls: CallerClass): void {
    this.bridgeOpened.add(cls);
  }

  /** The class may just have lost its last eligible person. */
  checkCapacity(cls: CallerClass): void {
    this.capacityCheck.add(cls);
  }

  /** The online staff changed: any class may have lost its last eligible person. */
  checkAllCapacity(): void {
    this.capacityCheckAll = true;
  }

  hasMatchWork(): boolean {
    return this.readyCallers.size > 0 || this.idleAgents.size > 0 || this.bridgeOpened.size > 0;
  }

  /** Takes every pending source of pairs: classes newly bridgeable or with a new ready caller, new idle agents. */
  takeMatchWork(): MatchWork {
    const classes = new Set<CallerClass>(this.bridgeOpened);
    for (const c of this.readyCallers) classes.add(c.cls);
    const agents = new Set<AgentRec>(this.idleAgents);
    this.readyCallers.clear();
    this.idleAgents.clear();
    this.bridgeOpened.clear();
    return { classes, agents };
  }

  /** Takes the classes to re-check (`all` when the staff changed); null when there is nothing to do. */
  takeCapacityChecks(all: readonly CallerClass[]): readonly CallerClass[] | null {
    if (!this.capacityCheckAll && this.capacityCheck.size === 0) return null;
    const targets = this.capacityCheckAll ? all : [...this.capacityCheck];
    this.capacityCheckAll = false;
    this.capacityCheck.clear();
    return targets;
  }

  /** A pruned class: no work may refer to it. */
  forget(cls: CallerClass): void {
    this.bridgeOpened.delete(cls);
    this.capacityCheck.delete(cls);
  }
}
