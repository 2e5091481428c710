import Link from 'next/link';
import { SignUpForm } from './_components/sign-up-form';

export const metadata = { title: 'Sign up' };

export default function SignUpPage() {
  return (
    <article className="narrow">
      <h1>Create an account</h1>
      <p className="muted">Free, for everyone: researchers, students and organisers.</p>
      <SignUpForm />
      <p className="muted small">
        Have an account? <Link href="/sign-in">Sign in</Link>.
      </p>
    </article>
  );
}
