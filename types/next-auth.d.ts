import type { UserRole } from '@/db/schema';

declare module 'next-auth' {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null; image?: string | null; role?: UserRole };
  }
  interface User {
    role?: UserRole;
    /** The user_sessions row opened at sign-in. */
    sessionId?: string;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    /** The user_sessions row this cookie stands for; the only thing the cookie is trusted for. */
    sid?: string;
  }
}
