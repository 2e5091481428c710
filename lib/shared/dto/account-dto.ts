/** One signed-in browser of the account, as the settings page lists it. */
export type UserSessionDto = { id: string; userAgent: string | null; createdAt: string; expiresAt: string };

/** The account settings page: who you are and where you are signed in. */
export type AccountDto = {
  email: string;
  name: string;
  role: 'participant' | 'organiser' | 'admin';
  sessions: UserSessionDto[];
};
