import type { ReactNode } from 'react';
import {
  DEMO_URLS,
  describeError,
  formatInterval,
  formatSeason,
  loadCollections,
  loadHealth,
  type CollectionSummary,
  type Health,
} from './demo-status';
import { useResource, type Resource } from './use-resource';

const getHealth = (signal: AbortSignal) => loadHealth((url, init) => fetch(url, init), signal);
const getCollections = (signal: AbortSignal) => loadCollections((url, init) => fetch(url, init), signal);

/** GeoCrop's first page: the demo world's status and its open data (replaced by the full PWA later). */
export function App() {
  const [health, retryHealth] = useResource(getHealth);
  const [collections, retryCollections] = useResource(getCollections);
  const isolated = typeof crossOriginIsolated === 'boolean' && crossOriginIsolated;

  return (
    <div className="page">
      <header className="masthead">
        <img src="/icon.svg" alt="" width={48} height={48} />
        <div>
          <h1>GeoCrop</h1>
          <p className="tagline">Crop maps for Zimbabwe from Sentinel-2, computed in your browser.</p>
        </div>
      </header>

      <main>
        <section aria-labelledby="demo-heading" aria-busy={health.status === 'loading'}>
          <h2 id="demo-heading">Demo world</h2>
          <ResourceView resource={health} what="server status" onRetry={retryHealth}>
            {(h) => <HealthView health={h} />}
          </ResourceView>
          <p className="note">
            {isolated
              ? 'This page is cross-origin isolated: multi-threaded WebAssembly is available.'
              : 'This page is not cross-origin isolated: models will run on a single thread.'}
          </p>
        </section>

        <section aria-labelledby="collections-heading" aria-busy={collections.status === 'loading'}>
          <h2 id="collections-heading">STAC collections</h2>
          <ResourceView resource={collections} what="collections" onRetry={retryCollections}>
            {(list) => <CollectionList collections={list} />}
          </ResourceView>
        </section>

        <section aria-labelledby="data-heading">
          <h2 id="data-heading">Open data</h2>
          <ul className="links">
            <li>
              <a href={DEMO_URLS.stacLanding}>STAC API landing page</a>
            </li>
            {DEMO_URLS.truth.map((t) => (
              <li key={t.href}>
                <a href={t.href}>{t.label}</a>
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}

function ResourceView<T>(props: { resource: Resource<T>; what: string; onRetry: () => void; children: (value: T) => ReactNode }) {
  const { resource } = props;
  if (resource.status === 'loading') return <p role="status">Loading {props.what}…</p>;
  if (resource.status === 'error') {
    return (
      <div role="alert" className="error">
        <p>{describeError(resource.error)}</p>
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      </div>
    );
  }
  return <>{props.children(resource.value)}</>;
}

function HealthView({ health }: { health: Health }) {
  const { demo } = health;
  return (
    <dl className="facts">
      <dt>Status</dt>
      <dd>{demo.ready ? 'Ready' : 'Still being generated — refresh in a moment'}</dd>
      <dt>Seasons</dt>
      <dd>{demo.seasons.length ? demo.seasons.map(formatSeason).join(', ') : 'none'}</dd>
      <dt>Scenes</dt>
      <dd>{Number.isFinite(demo.scenes) ? demo.scenes : 'unknown'}</dd>
      <dt>Seed</dt>
      <dd>{Number.isFinite(demo.seed) ? demo.seed : 'unknown'}</dd>
    </dl>
  );
}

function CollectionList({ collections }: { collections: CollectionSummary[] }) {
  if (collections.length === 0) return <p>The STAC API has no collections yet.</p>;
  return (
    <ul className="collections">
      {collections.map((c) => (
        <li key={c.id}>
          <h3>{c.title}</h3>
          <dl className="facts">
            <dt>Id</dt>
            <dd>
              <code>{c.id}</code>
            </dd>
            {c.itemCount !== undefined && (
              <>
                <dt>Items</dt>
                <dd>{c.itemCount}</dd>
              </>
            )}
            {c.temporal && (
              <>
                <dt>Time span</dt>
                <dd>{formatInterval(c.temporal)}</dd>
              </>
            )}
          </dl>
        </li>
      ))}
    </ul>
  );
}
