import Link from '@docusaurus/Link';
import CodeBlock from '@theme/CodeBlock';
import Layout from '@theme/Layout';
import type { ReactNode } from 'react';
import type { SourceData } from '../../lib/source-pages.mts';

/** A repository file (its text, highlighted) or folder (its entries), generated at build time. */
export default function SourcePage({ source }: { source: SourceData }): ReactNode {
  return (
    <Layout title={source.path} description={`${source.path} in the Wild Rydes workshop repository`}>
      <main className="container margin-vert--lg">
        <h1>
          <code>{source.path}</code>
        </h1>
        {'text' in source ? (
          <>
            <p>As it is in your copy of the repository: open it in your editor to change it.</p>
            <CodeBlock language={source.language} title={source.path} showLineNumbers>
              {source.text}
            </CodeBlock>
          </>
        ) : (
          <ul>
            {source.entries.map((entry) => (
              <li key={entry.name}>
                <Link to={entry.route}>
                  <code>{entry.directory ? `${entry.name}/` : entry.name}</code>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </main>
    </Layout>
  );
}
