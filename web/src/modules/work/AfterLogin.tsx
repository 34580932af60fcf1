import { Navigate } from 'react-router';
import { useSession } from '../../app/session';
import { Loading } from '../../components/ui';

/**
 * Where a login started from the home page returns (`/sisenemine`, see `loginUrl`): officials go
 * on to their work queue, everyone else to the home page as before. A login started on any other
 * page returns to that page.
 */
export function AfterLogin() {
  const session = useSession();
  if (session.loading) return <Loading />;
  return <Navigate to={session.isOfficial ? '/toolaud' : '/'} replace />;
}
