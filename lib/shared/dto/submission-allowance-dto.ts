/** What the submit page shows about the limits before a file is chosen. */
export type SubmissionAllowanceDto = {
  phaseKey: string;
  phaseTitle: string;
  closesAt: string | null;
  usedToday: number;
  maxPerDay: number;
  usedTotal: number;
  maxTotal: number | null;
  /** Next 00:00 UTC, when the daily count starts again. */
  resetsAt: string;
  /** Limits are shared by the team when the participant is in one. */
  teamName: string | null;
};
