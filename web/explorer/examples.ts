// The operations the explorer opens with, one tab each, grouped by who asks them: dashboard teams,
// partner universities, ministry integrations. Every one runs as written against the reference data
// (the keyed ones once a key is in the headers box).

export interface ExampleTab {
  query: string;
  variables?: string;
  headers?: string;
}

const KEY_HEADERS = JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2);

const dashboardNetwork = `# Dashboards: the national replication network, map-ready, in one round trip.
# Provinces carry their sourced centroid; edges are weighted by replications.
query DashboardNetwork($yearFrom: Int, $yearTo: Int) {
  provinces {
    code
    name
    isHub
    hub { cohortYear stage isPilot instrument { citation } }
    centroid { lat lon provenance { confidence sources { label url } } }
  }
  replicationGraph(level: PROVINCE, filter: { yearFrom: $yearFrom, yearTo: $yearTo }) {
    edges { source target count byKind { kind count } }
    totals { replications innovations regions crossProvinceShare }
  }
}
`;

const dashboardHeadlines = `# Dashboards: the headline numbers a ministry dashboard opens with, as sourced reference data.
query Headlines {
  referenceCounts(filter: { measures: [KIPP_REGISTRATIONS, JIPPNAS_RECORDS] }) {
    measure
    year
    value
    provenance { confidence sources { label url } note }
  }
}
`;

const dashboardProvince = `# Dashboards: one province's statistics series and whether becoming a hub changed anything.
query ProvincePanel($code: String!) {
  province(code: $code) {
    name
    statistics { innovations replicationsOut replicationsIn adoptionRate series { year innovations replicationsIn replicationsOut } }
  }
  hubImpact(provinceCode: $code, window: 4) {
    activeYear hubBefore hubAfter comparisonBefore comparisonAfter difference
    years { year hub comparisonMean period }
  }
}
`;

const university = `# Partner universities: your programmes and their sessions. Put your key in the headers box below;
# mentor names are given for your own programmes only.
query MyProgrammes {
  viewer { role keyLabel canReadPersonalData }
  mentoringProgrammes(first: 20) {
    totalCount
    nodes {
      id year
      province { code name }
      university { name }
      sessions(first: 50) { nodes { heldOn mode topic participantCount mentorNames regencies { code name } } }
    }
  }
}
`;

const ministry = `# Ministry integrations: check a batch before importing it (dryRun writes nothing), then read the
# audit trail. Needs an INTEGRATION or MINISTRY_ADMIN key in the headers box below.
mutation CheckBatch {
  importInnovations(dryRun: true, rows: [
    { registry: "IGA", externalId: "IGA-2025-0001", title: "Contoh inovasi", owner: "Pemerintah Kabupaten Gresik",
      regencyCode: "35.25", launchYear: 2025, sources: ["https://example.org/laporan-iga-2025"] }
  ]) {
    dryRun received inserted updated unchanged failed
    errors { line field code message }
  }
}

query AuditTrail {
  auditEvents(first: 10) { nodes { id sequence occurredAt role actor action entityType entityId } }
}
`;

export const EXAMPLE_TABS: ExampleTab[] = [
  { query: dashboardNetwork, variables: JSON.stringify({ yearFrom: 2019, yearTo: 2025 }, null, 2) },
  { query: dashboardHeadlines },
  { query: dashboardProvince, variables: JSON.stringify({ code: '35' }, null, 2) },
  { query: university, headers: KEY_HEADERS },
  { query: ministry, headers: KEY_HEADERS },
];
