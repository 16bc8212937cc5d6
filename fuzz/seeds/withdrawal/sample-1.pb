
e
$00000000-0000-4000-8000-000000000006CN-FJ-2026-0042CN/MPS*„íºØ0:BCN-RU-1995-MLARzh>
$6b0c1f4e-2f61-4c1e-9a57-0d3c8f1a9b20returned voluntarily