/** The map: a plain offline basemap (grid and service area, no tiles), each unicorn's track and last position. */
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Sample } from '../model.ts';
import basemap from './basemap.json';

/** Positions drawn per track: the last two minutes at one record a second… */
const TRACK_POINTS = 120;
/** …or the last 20 s when the map is crowded (1,000 long tracks are a tangle, and slow to redraw). */
const CROWDED_TRACK_POINTS = 20;
const CROWDED = 100;
/** Name labels stay on the map up to this many unicorns; beyond, they show on hover. */
const LABELS_UP_TO = 25;

interface Drawn {
  marker: L.CircleMarker;
  track: L.Polyline;
  low: boolean;
  selected: boolean;
}

/** Where each unicorn is drawn, for the page's own checks (`window.wildrydesDashboard`). */
export interface MarkerPosition {
  name: string;
  lat: number;
  lon: number;
  low: boolean;
}

/** The unicorn map. */
export class UnicornMap {
  readonly #map: L.Map;
  readonly #renderer = L.canvas({ padding: 0.2 });
  readonly #drawn = new Map<string, Drawn>();
  #fitted = false;

  constructor(
    readonly element: HTMLElement,
    private readonly onSelect: (name: string) => void,
  ) {
    this.#map = L.map(element, {
      preferCanvas: true,
      renderer: this.#renderer,
      attributionControl: false,
      zoomSnap: 0.25,
    }).setView([basemap.stable.lat, basemap.stable.lon], 11);
    this.#drawBasemap();
  }

  #drawBasemap(): void {
    const step = basemap.gridStepDegrees;
    const style = { color: '#c8cdd3', weight: 1, interactive: false, renderer: this.#renderer };
    const { lat, lon } = basemap.stable;
    // A graticule a degree around the stable: enough for where unicorns fly in a workshop.
    for (let y = Math.floor(lat) - 1; y <= Math.ceil(lat) + 1; y += step)
      L.polyline(
        [
          [y, lon - 1.5],
          [y, lon + 1.5],
        ],
        style,
      ).addTo(this.#map);
    for (let x = Math.floor(lon) - 1.5; x <= Math.ceil(lon) + 1.5; x += step)
      L.polyline(
        [
          [lat - 1, x],
          [lat + 1, x],
        ],
        style,
      ).addTo(this.#map);
    L.polygon(basemap.serviceArea as [number, number][], {
      color: '#6b7a8f',
      weight: 2,
      dashArray: '6 4',
      fill: false,
      interactive: false,
      renderer: this.#renderer,
    }).addTo(this.#map);
    L.circleMarker([lat, lon], { radius: 4, color: '#333', fillOpacity: 1, renderer: this.#renderer })
      .bindTooltip(basemap.stable.name, { direction: 'bottom' })
      .addTo(this.#map);
  }

  /**
   * Draws `names`' tracks and positions (new or moved); `total` unicorns in all (labels stay on
   * the map only for a few); below `threshold` magic points a unicorn is drawn as low.
   */
  update(
    names: Iterable<string>,
    trackOf: (name: string) => readonly Sample[],
    opts: { threshold: number; total: number; selected?: string },
  ): void {
    const { threshold, total, selected } = opts;
    for (const name of names) {
      const track = trackOf(name).slice(total > CROWDED ? -CROWDED_TRACK_POINTS : -TRACK_POINTS);
      const last = track.at(-1);
      if (!last) continue;
      const low = last.magic < threshold;
      let drawn = this.#drawn.get(name);
      const latLngs = track.map((s) => [s.lat, s.lon] as [number, number]);
      if (!drawn) {
        drawn = {
          marker: L.circleMarker([last.lat, last.lon], { renderer: this.#renderer, radius: 6 }),
          track: L.polyline(latLngs, {
            renderer: this.#renderer,
            weight: 2,
            opacity: 0.6,
            interactive: false,
          }),
          low,
          selected: false,
        };
        drawn.marker.on('click', () => this.onSelect(name));
        drawn.track.addTo(this.#map);
        drawn.marker.addTo(this.#map);
        this.#drawn.set(name, drawn);
        this.#label(name, drawn, total);
        this.#style(drawn, name === selected);
      } else {
        drawn.marker.setLatLng([last.lat, last.lon]);
        drawn.track.setLatLngs(latLngs);
      }
      if (drawn.low !== low) {
        drawn.low = low;
        this.#style(drawn, drawn.selected);
        this.#label(name, drawn, total);
      }
    }
    if (!this.#fitted && this.#drawn.size > 0) this.fit();
  }

  /** Shows every unicorn. */
  fit(): void {
    const bounds = L.latLngBounds([...this.#drawn.values()].map((d) => d.marker.getLatLng()));
    if (!bounds.isValid()) return;
    this.#fitted = true;
    this.#map.fitBounds(bounds.pad(0.3), { maxZoom: 14 });
  }

  /** Highlights the selected unicorn (and un-highlights the one before). */
  select(selected?: string): void {
    for (const [name, drawn] of this.#drawn) {
      if (drawn.selected !== (name === selected)) this.#style(drawn, name === selected);
    }
    const chosen = selected ? this.#drawn.get(selected) : undefined;
    if (chosen) {
      chosen.track.bringToFront();
      chosen.marker.bringToFront();
    }
  }

  /** Forgets every unicorn (a reset). */
  clear(): void {
    for (const drawn of this.#drawn.values()) {
      drawn.marker.remove();
      drawn.track.remove();
    }
    this.#drawn.clear();
    this.#fitted = false;
  }

  /** Where each unicorn's marker is. */
  positions(): MarkerPosition[] {
    return [...this.#drawn].map(([name, d]) => ({
      name,
      lat: d.marker.getLatLng().lat,
      lon: d.marker.getLatLng().lng,
      low: d.low,
    }));
  }

  // Low magic is red *and* a dashed ring *and* "low magic" in the label; selected is larger and
  // outlined black: colour is never the only signal.
  #style(drawn: Drawn, selected: boolean): void {
    drawn.selected = selected;
    const colour = drawn.low ? '#c0392b' : '#1f6fb2';
    drawn.marker.setStyle({
      color: selected ? '#000' : colour,
      fillColor: colour,
      fillOpacity: 0.85,
      weight: selected ? 4 : drawn.low ? 3 : 1.5,
      dashArray: drawn.low ? '3 3' : undefined,
    });
    drawn.marker.setRadius(selected ? 10 : drawn.low ? 8 : 6);
    drawn.track.setStyle({
      color: selected ? '#000' : colour,
      weight: selected ? 4 : 2,
      opacity: selected ? 0.9 : 0.5,
    });
  }

  #label(name: string, drawn: Drawn, count: number): void {
    const text = drawn.low ? `${name} ⚠ low magic` : name;
    drawn.marker.unbindTooltip();
    drawn.marker.bindTooltip(text, {
      permanent: count <= LABELS_UP_TO,
      direction: 'right',
      offset: [8, 0],
      className: drawn.low ? 'unicorn-label low' : 'unicorn-label',
    });
    // The label carries the name, so the page's tests (and users' tools) can find each unicorn.
    drawn.marker.getTooltip()?.getElement()?.setAttribute('data-name', name);
  }
}
