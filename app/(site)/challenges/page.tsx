import { permanentRedirect } from 'next/navigation';

/** The challenge list lives on the home page; /challenges is where people look for it first. */
export default function ChallengesIndexPage() {
  permanentRedirect('/');
}
