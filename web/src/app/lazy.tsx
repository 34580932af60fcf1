import { Component, lazy, useState, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Route-level code splitting: a page (or a profile section) is downloaded when it is first
 * shown, so the home page does not carry Leaflet, the charts, the ballot cryptography or the
 * officials' pages. Use in a module's index.tsx:
 *
 *   const VotePage = lazyPage(() => import('./VotePage'), 'VotePage');
 *   routes: [{ path: 'haaletused/:code/:id', element: <VotePage /> }]
 *
 * The layout shows a loading line while the chunk arrives, and `ChunkErrorBoundary` a message
 * with a retry when it cannot be downloaded (offline, or a new version was deployed meanwhile).
 */
export type LazyPage = ComponentType & { preload: () => Promise<unknown> };

export function lazyPage<M, K extends keyof M>(load: () => Promise<M>, name: K): LazyPage {
  let loading: Promise<M> | undefined;
  let loaded: ComponentType | undefined;
  const preload = () => {
    if (!loading) {
      loading = load();
      loading.then(
        (m) => void (loaded = m[name] as ComponentType),
        // A failed download may be tried again (the error boundary offers a reload).
        () => void (loading = undefined),
      );
    }
    return loading;
  };
  const Lazy = lazy(async () => ({ default: (await preload())[name] as ComponentType }));
  // Code that has already arrived (the first view waits for its page's: app/firstView.ts) renders
  // at once: no Suspense fallback painted first and the page a render later. Chosen once per
  // mount, so that a page is not remounted when its code arrives meanwhile.
  const page = ((props: Record<string, unknown>) => {
    const [Component] = useState<ComponentType>(() => loaded ?? Lazy);
    return <Component {...props} />;
  }) as unknown as LazyPage;
  page.preload = preload;
  return page;
}

function ChunkError({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert">
      {t('error.chunk')}{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        {t('error.retry')}
      </button>
    </div>
  );
}

/** Catches a page that failed to load or render, so the header and navigation stay usable. */
export class ChunkErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('page failed', error, info.componentStack);
  }
  componentDidUpdate(prev: { resetKey: string }) {
    // Navigating elsewhere clears the error.
    if (prev.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }
  render() {
    // A reload fetches the current version's chunks (the old ones may be gone after a deployment).
    return this.state.failed ? <ChunkError onRetry={() => window.location.reload()} /> : this.props.children;
  }
}
