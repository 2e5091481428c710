import type { ReactNode } from 'react';
import './organise.css';

export default function OrganiseLayout({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
