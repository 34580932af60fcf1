import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './MapView.css';
import type { BaseMapState, MapViewProps } from './mapShared';

/**
 * A Leaflet map shared by every module that shows or picks places (reports, idea locations, …).
 *
 * - Tiles come from the server's setting (`GET /api/v1/map/settings`, env KOV_MAP_TILE_URL: the
 *   Land Board's base map, or the demo stand-in's), with the source's attribution and a scale bar.
 *   Without a tile source, or when tiles do not load (offline), the map says so and still works:
 *   it draws the municipality's boundary (`municipalityCode`), markers and the heat layer on a
 *   plain background.
 * - A heat layer comes with its legend (`heatLegend`: what the colours count, lowest and highest).
 * - Keyboard: the map takes focus (Tab), arrow keys pan, + and − zoom; with `onPick`, Enter or
 *   Space places the point at the cross-hair in the middle. A map is still not usable by everyone:
 *   a page that uses it for input must also offer a non-map way (address or settlement fields),
 *   passed as `children` or placed next to it; a page that shows markers should list them too.
 * - Pass translated `label` (the region's name) and `hint`; its own few strings (the base map
 *   notice) are in the common namespace (`map.*`).
 * - Leaflet itself (≈ 40 kB compressed, MapCanvas.tsx) is a chunk of its own, asked for once the
 *   page around the map (the report form, the vote page) has painted — so neither its download nor
 *   its start-up delays that first paint — with an empty map area of the final size meanwhile.
 */
export {
  heatColor,
  loadMapSettings,
  type BaseMapState,
  type HeatCell,
  type MapMarker,
  type MapPoint,
  type MapSettings,
  type MapViewProps,
} from './mapShared';

const MapCanvas = lazy(() => import('./MapCanvas'));

export function MapView(props: MapViewProps) {
  const { label, hint, heat } = props;
  const { t } = useTranslation();
  const [baseMap, setBaseMap] = useState<BaseMapState>('ok');
  const hintId = useId();
  // After the next frame has been painted (requestAnimationFrame runs before it, the timeout after).
  const [afterPaint, setAfterPaint] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setAfterPaint(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  const placeholder = <div className="map-canvas" aria-describedby={hintId} />;
  return (
    <div
      className={`map-view${props.onPick ? ' map-pick' : ''}${props.className ? ` ${props.className}` : ''}`}
      role="group"
      aria-label={label}
    >
      {/* The empty area of the map's size while Leaflet downloads (nothing moves when it arrives). */}
      {afterPaint ? (
        <Suspense fallback={placeholder}>
          <MapCanvas {...props} hintId={hintId} onBaseMap={setBaseMap} />
        </Suspense>
      ) : (
        placeholder
      )}
      {baseMap !== 'ok' ? (
        <p className="map-notice" role="status">
          {baseMap === 'none' ? t('map.noBaseMap') : t('map.baseMapOffline')}
        </p>
      ) : null}
      {props.heatLegend && heat?.length ? (
        <div className="map-legend" aria-label={props.heatLegend.title} role="img">
          <span className="map-legend-title">{props.heatLegend.title}</span>
          <span>{props.heatLegend.min}</span>
          <span className="map-legend-ramp" />
          <span>{props.heatLegend.max}</span>
        </div>
      ) : null}
      <p id={hintId} className="help map-hint">
        {hint}
      </p>
      {props.children}
    </div>
  );
}
