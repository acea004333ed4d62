// Staffing decisions on top of the queue formulas: how many agents a load needs for a service-level
// target, what callers' patience the records show, and what each shift of the day needs.
export * from './agentsNeeded';
export * from './patience';
export * from './shiftPlan';
