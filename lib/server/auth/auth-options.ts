import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { isAppError } from '@/lib/shared/app-error';
import { getDatabase } from '../database';
import { CLIENT_ADDRESS_HEADER } from '../http/client-address';
import { signInWithPassword } from '../users/sign-in-with-password';
import { SESSION_MAX_AGE_SECONDS } from './create-user-session';
import { findSessionUser } from './find-session-user';
import { getAuthSecret } from './get-auth-secret';
import { revokeUserSessions } from './revoke-user-sessions';

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | null {
  const value = headers?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
}

/**
 * next-auth v4: e-mail + password accounts. The session cookie is a signed JWT that carries only the id of a row in
 * user_sessions; every request looks that row and its account up (findSessionUser), so signing out ends the session on
 * the server, and a role change, "sign out everywhere" or a disabled account takes effect at the next request.
 */
export const authOptions: NextAuthOptions = {
  secret: getAuthSecret(),
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: '/sign-in' },
  providers: [
    CredentialsProvider({
      name: 'E-mail and password',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        if (!credentials?.email || !credentials.password) return null;
        const { db } = await getDatabase();
        const headers = request?.headers as Record<string, unknown> | undefined;
        try {
          const user = await signInWithPassword(db, credentials, {
            // Set by the web server from the TCP peer (and trusted proxies only); "unknown" outside it (next dev).
            address: headerOf(headers, CLIENT_ADDRESS_HEADER) ?? 'unknown',
            userAgent: headerOf(headers, 'user-agent'),
            // Sessions and rate limits run on real time, never on the test clock that moves challenge phases.
            now: new Date(),
          });
          return user ? { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: user.sessionId } : null;
        } catch (error) {
          // next-auth shows a thrown message to the form: ours are sentences (rate limit, disabled account).
          if (isAppError(error)) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user && 'sessionId' in user && typeof user.sessionId === 'string') {
        token.sid = user.sessionId;
        token.uid = user.id;
      }
      return token;
    },
    async session({ session, token }) {
      const { db } = await getDatabase();
      const user = await findSessionUser(db, token.sid, new Date());
      if (!user) return { expires: session.expires };
      return { ...session, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid !== 'string') return;
      const { db } = await getDatabase();
      await revokeUserSessions(db, { sessionId: token.sid }, new Date());
    },
  },
};
