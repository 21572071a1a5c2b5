// Synthetic innovation names: plausible Indonesian public-service phrases, always prefixed "[DEMO]" so a
// title shown anywhere (a search result, a graph label) says it is not a fact.
import type { Random } from './random';

/** Themes by KIPP 2021 category (jipp-reference.json taxonomies.kippCategories2021). */
const THEMES: readonly { category: string; subjects: readonly string[] }[] = [
  { category: 'kesehatan', subjects: ['Kesehatan Ibu dan Anak', 'Pencegahan Stunting', 'Rujukan Pasien', 'Imunisasi', 'Puskesmas', 'Kesehatan Jiwa'] },
  { category: 'pendidikan', subjects: ['Literasi Anak', 'Beasiswa Pelajar', 'Sekolah Inklusi', 'Belajar Malam'] },
  { category: 'pengentasan kemiskinan', subjects: ['Data Kesejahteraan', 'Bantuan Sosial', 'Rumah Layak Huni'] },
  { category: 'ketahanan pangan', subjects: ['Lumbung Pangan', 'Pertanian Organik', 'Pupuk Bersubsidi'] },
  { category: 'pertumbuhan ekonomi dan kesempatan kerja', subjects: ['Perizinan Usaha', 'UMKM', 'Pasar Desa', 'Pencari Kerja'] },
  { category: 'pemberdayaan masyarakat', subjects: ['Dana Desa', 'Kader Posyandu', 'Karang Taruna'] },
  { category: 'pelayanan publik responsif gender', subjects: ['Perlindungan Perempuan dan Anak', 'Ruang Laktasi'] },
  { category: 'perlindungan dan pelestarian lingkungan hidup', subjects: ['Bank Sampah', 'Air Bersih', 'Mangrove'] },
  { category: 'tata kelola pemerintahan', subjects: ['Akta Kelahiran', 'Dokumen Kependudukan', 'Pajak Daerah', 'Pengaduan Warga', 'Arsip'] },
  { category: 'penegakan hukum', subjects: ['Bantuan Hukum', 'Sidang Keliling'] },
];

const DIGITAL_FORMS = ['Aplikasi {} Online', 'Sistem Informasi {}', 'Dasbor {}', 'Layanan {} via WhatsApp', 'e-{}'];
const OTHER_FORMS = ['Gerakan {} Bersama', 'Layanan {} Keliling', 'Jemput Bola {}', 'Gerai {} Terpadu', 'Klinik {}'];

export interface Concept {
  /** "Layanan Bank Sampah Keliling": what the innovation is, carried over to its local versions. */
  phrase: string;
  category: string;
}

export function inventConcept(rng: Random, isDigital: boolean): Concept {
  const theme = rng.pick(THEMES);
  const form = rng.pick(isDigital ? DIGITAL_FORMS : OTHER_FORMS);
  return { phrase: form.replace('{}', rng.pick(theme.subjects)), category: theme.category };
}

export function demoTitle(concept: Concept, regionLabel: string, isLocalVersion: boolean): string {
  return `[DEMO] ${concept.phrase} ${regionLabel}${isLocalVersion ? ' (adaptasi)' : ''}`;
}

export function demoSummary(concept: Concept, regionLabel: string, seed: number, generation: number): string {
  const origin = generation > 0 ? ` Adaptasi lokal generasi ke-${generation}.` : '';
  return `Inovasi sintetis (data DEMO, seed ${seed}), bukan fakta: ${concept.phrase.toLowerCase()} di ${regionLabel}.${origin}`;
}
