import { TabLinks } from '@/app/_components/tab-links';

/** The tabs under the header's "Settings": what the help texts call "Settings → Account" and "Settings → API tokens". */
export function SettingsTabs() {
  return (
    <TabLinks
      tabs={[
        { label: 'Account', href: '/settings', testId: 'settings-tab-account' },
        { label: 'API tokens', href: '/settings/tokens', testId: 'settings-tab-tokens' },
      ]}
    />
  );
}
