import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { userRoles, type UserRole } from '@/db/schema';
import { getDatabase } from '../database';
import { consumeRateLimit, rateLimitRules, resetRateLimit } from '../security/consume-rate-limit';
import { verifyCredentials } from '../users/verify-credentials';
import { getAuthSecret } from './get-auth-secret';

function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (userRoles as readonly string[]).includes(value);
}

/** next-auth v4: e-mail + password accounts, sessions as signed JWT cookies (no server-side session state). */
export const authOptions: NextAuthOptions = {
  secret: getAuthSecret(),
  session: { strategy: 'jwt', maxAge: 30 * 24 * 3600 },
  pages: { signIn: '/sign-in' },
  providers: [
    CredentialsProvider({
      name: 'E-mail and password',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials) {
        if (!credentials?.email || !credentials.password) return null;
        const { db } = await getDatabase();
        // Every attempt is counted per address before the password is checked (so concurrent guesses are counted too)
        // and a correct password clears the count: only failed attempts add up. next-auth shows the thrown message.
        const key = `sign-in:${credentials.email.trim().toLowerCase()}`;
        await consumeRateLimit(db, key, rateLimitRules.signIn, new Date());
        const user = await verifyCredentials(db, credentials.email, credentials.password);
        if (user) await resetRateLimit(db, key);
        return user;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user && 'role' in user && isUserRole(user.role)) {
        token.uid = user.id;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user && typeof token.uid === 'string' && isUserRole(token.role)) {
        session.user.id = token.uid;
        session.user.role = token.role;
      }
      return session;
    },
  },
};
