import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './MapView.css';
import { api } from '../app/api';

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
 */
export interface MapPoint {
  lat: number;
  lon: number;
}

export interface MapMarker extends MapPoint {
  id: string;
  /** Tooltip and accessible text. */
  label: string;
  color?: string;
  onSelect?: () => void;
}

export interface HeatCell extends MapPoint {
  /** Cell size in degrees (the cell spans lat..lat+latSize, lon..lon+lonSize). */
  latSize: number;
  lonSize: number;
  /** 0..1, relative intensity. */
  weight: number;
  label?: string;
}

export interface MapSettings {
  tileUrl: string | null;
  attribution: string;
  maxZoom: number;
}

let settingsPromise: Promise<MapSettings> | undefined;
export function loadMapSettings(): Promise<MapSettings> {
  settingsPromise ??= api<MapSettings>('/api/v1/map/settings').catch(() => ({
    tileUrl: null,
    attribution: '',
    maxZoom: 19,
  }));
  return settingsPromise;
}

interface Boundary {
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: { bounds: [number, number, number, number] };
}
const boundaries = new Map<string, Promise<Boundary | null>>();
function loadBoundary(code: string): Promise<Boundary | null> {
  let p = boundaries.get(code);
  if (!p) boundaries.set(code, (p = api<Boundary>(`/api/v1/map/municipalities/${code}/boundary`).catch(() => null)));
  return p;
}

const ESTONIA: L.LatLngBoundsExpression = [
  [57.5, 21.8],
  [59.7, 28.2],
];

export function MapView(props: {
  label: string;
  hint?: string;
  municipalityCode?: string;
  markers?: MapMarker[];
  heat?: HeatCell[];
  picked?: MapPoint | null;
  onPick?: (p: MapPoint) => void;
  /** Initial view when there is no municipality outline. */
  center?: MapPoint;
  zoom?: number;
  className?: string;
  children?: ReactNode;
  /** With `heat`: the legend's title and its lowest and highest counts. */
  heatLegend?: { title: string; min: string; max: string };
}) {
  const { label, hint, municipalityCode, markers, heat, picked, onPick, center, zoom } = props;
  const { t } = useTranslation();
  /** 'none': no tile source configured; 'failed': tiles do not load (offline, blocked). */
  const [baseMap, setBaseMap] = useState<'ok' | 'none' | 'failed'>('ok');
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<{
    markers: L.LayerGroup;
    heat: L.LayerGroup;
    outline: L.LayerGroup;
    picked: L.LayerGroup;
  } | null>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  const [ready, setReady] = useState(false);
  const hintId = useId();

  // Create the map once.
  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, {
      keyboard: true,
      zoomControl: true,
      attributionControl: true,
      minZoom: 6,
      maxBounds: [
        [56.5, 20],
        [60.8, 29.5],
      ],
    });
    m.fitBounds(ESTONIA);
    if (center) m.setView([center.lat, center.lon], zoom ?? 13);
    layers.current = {
      outline: L.layerGroup().addTo(m),
      heat: L.layerGroup().addTo(m),
      markers: L.layerGroup().addTo(m),
      picked: L.layerGroup().addTo(m),
    };
    m.on('click', (e: L.LeafletMouseEvent) =>
      pickRef.current?.({ lat: round(e.latlng.lat), lon: round(e.latlng.lng) }),
    );
    const container = m.getContainer();
    container.setAttribute('aria-describedby', hintId);
    const onKey = (e: KeyboardEvent) => {
      if (e.target !== container || !pickRef.current) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        const c = m.getCenter();
        pickRef.current({ lat: round(c.lat), lon: round(c.lng) });
      }
    };
    container.addEventListener('keydown', onKey);
    map.current = m;
    let cancelled = false;
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(m);
    void loadMapSettings().then((s) => {
      if (cancelled) return;
      if (!s.tileUrl) {
        setBaseMap('none');
        return;
      }
      // Tiles that fail (offline, blocked) leave the plain background with the boundaries; the
      // notice says so until a tile loads again.
      const tiles = L.tileLayer(s.tileUrl, { attribution: s.attribution, maxZoom: s.maxZoom });
      let failed = 0;
      tiles.on('tileerror', () => {
        failed += 1;
        if (failed >= 2) setBaseMap('failed');
      });
      tiles.on('tileload', () => {
        failed = 0;
        setBaseMap('ok');
      });
      tiles.addTo(m);
    });
    setReady(true);
    return () => {
      cancelled = true;
      container.removeEventListener('keydown', onKey);
      m.remove();
      map.current = null;
      layers.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Municipality outline and view.
  useEffect(() => {
    const m = map.current;
    const l = layers.current;
    if (!m || !l) return;
    l.outline.clearLayers();
    if (!municipalityCode) return;
    let cancelled = false;
    void loadBoundary(municipalityCode).then((b) => {
      if (cancelled || !b) return;
      L.geoJSON(b.geometry as never, {
        interactive: false,
        style: { color: '#1d4f91', weight: 2, fillColor: '#1d4f91', fillOpacity: 0.04 },
      }).addTo(l.outline);
      if (!center) {
        const [s, w, n, e] = b.properties.bounds;
        // The container may have been laid out after the map was made: measure again, then jump (no animation).
        m.invalidateSize({ animate: false });
        m.fitBounds(
          [
            [s, w],
            [n, e],
          ],
          { animate: false },
        );
      }
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [municipalityCode, ready]);

  useEffect(() => {
    const l = layers.current;
    if (!l) return;
    l.markers.clearLayers();
    for (const mk of markers ?? []) {
      const c = L.circleMarker([mk.lat, mk.lon], {
        radius: 7,
        color: '#ffffff',
        weight: 2,
        fillColor: mk.color ?? '#b3261e',
        fillOpacity: 0.95,
        className: 'map-marker',
      });
      c.bindTooltip(textNode(mk.label));
      if (mk.onSelect) c.on('click', () => mk.onSelect!());
      c.addTo(l.markers);
    }
  }, [markers, ready]);

  useEffect(() => {
    const l = layers.current;
    if (!l) return;
    l.heat.clearLayers();
    for (const h of heat ?? []) {
      const r = L.rectangle(
        [
          [h.lat, h.lon],
          [h.lat + h.latSize, h.lon + h.lonSize],
        ],
        {
          stroke: false,
          fillColor: heatColor(h.weight),
          fillOpacity: 0.25 + 0.55 * h.weight,
          interactive: Boolean(h.label),
        },
      );
      if (h.label) r.bindTooltip(textNode(h.label));
      r.addTo(l.heat);
    }
  }, [heat, ready]);

  useEffect(() => {
    const l = layers.current;
    const m = map.current;
    if (!l || !m) return;
    l.picked.clearLayers();
    if (picked) {
      L.circleMarker([picked.lat, picked.lon], {
        radius: 9,
        color: '#ffffff',
        weight: 3,
        fillColor: '#1d4f91',
        fillOpacity: 1,
      }).addTo(l.picked);
      if (!m.getBounds().contains([picked.lat, picked.lon])) m.panTo([picked.lat, picked.lon]);
    }
  }, [picked, ready]);

  return (
    <div
      className={`map-view${onPick ? ' map-pick' : ''}${props.className ? ` ${props.className}` : ''}`}
      role="group"
      aria-label={label}
    >
      <div ref={el} className="map-canvas" />
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

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Yellow → red, readable over a plain or tiled background (MapView.css .map-legend-ramp: the same ramp). */
export function heatColor(w: number): string {
  const t = Math.max(0, Math.min(1, w));
  const g = Math.round(200 - 170 * t);
  return `rgb(220, ${g}, 30)`;
}

/** Leaflet reads a string tooltip as HTML: labels are user text (report and idea titles), so give it a text node. */
function textNode(text: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = text;
  return el;
}
