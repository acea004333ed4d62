// The shapes of the supervisor's HTTP API the page reads (it never sends them back): the figures'
// from common/, the overview's and volunteers' from the server's own types.

export type {
  CallListItem,
  CallListResponse,
  CallOutcome,
  FiguresGroup,
  FiguresResponse,
  GroupBy,
  GroupFigures,
  Mean,
  Rate,
} from '../../../common/figures';
export { GROUP_BYS } from '../../../common/figures';

/** `GET /api/supervisor/overview` and `/volunteers`: the server's own types (type-only, nothing bundled). */
export type {
  SupervisorOverview as Overview,
  VolunteerView as Volunteer,
} from '../../../server/src/http/supervisorRoutes';
