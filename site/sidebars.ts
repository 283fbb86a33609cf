import type { SidebarsConfig } from '@docusaurus/plugin-content-docs';
import { curriculum, pageDocId } from './lib/curriculum.mts';

/** The overview, the modules in curriculum order, then the pages for instructors and when stuck. */
const sidebars: SidebarsConfig = {
  workshop: [
    'site/docs/overview',
    {
      type: 'category',
      label: 'Modules',
      collapsed: false,
      items: curriculum.map(pageDocId),
    },
    'site/docs/instructor',
    'site/docs/troubleshooting',
  ],
};

export default sidebars;
