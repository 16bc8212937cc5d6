
h
$00000000-0000-4000-8000-000000000008CN-FJ-2026-0042	CN/PLO-RU*„íºØ0:BCN-RU-1995-MLARzh>
$3f8e2d71-5a0b-4c9e-8d26-7e4b1c0a5f93referral sent in error