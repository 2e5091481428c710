/** One account as the admin page and `npm run admin -- users` list it. */
export type AdminUserDto = {
  id: string;
  email: string;
  name: string;
  role: 'participant' | 'organiser' | 'admin';
  isDisabled: boolean;
  createdAt: string;
  /** Datasets the account owns, and those granted to it. */
  ownedDatasets: string[];
  grantedDatasets: string[];
};
