
g
$00000000-0000-4000-8000-000000000009CN-FJ-2026-0042CN/FJPSD*„íºØ0:BCN-RU-1995-MLARzh)
'#search of the warehouse in progress