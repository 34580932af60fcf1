/**
 * `GET /api/v1/now` (services module): what is open for me now, for the home page and "Minu
 * vald". One URL for the page and the early fetch at start-up (app/firstView.ts), so the first
 * view takes the early answer.
 */
export function nowUrl(lang: string, municipalityCode: string | null | undefined): string {
  const l = lang === 'ru' || lang === 'en' ? lang : 'et';
  return `/api/v1/now?lang=${l}${municipalityCode ? `&municipality=${municipalityCode}` : ''}`;
}
