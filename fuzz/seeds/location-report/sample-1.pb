
e
$00000000-0000-4000-8000-000000000005CN-FJ-2026-0042RU/MVD*„íºØ0:BCN-RU-1995-MLARzh^
$6b0c1f4e-2f61-4c1e-9a57-0d3c8f1a9b20
RUMoscow" µºØ*held at the request of the NCB