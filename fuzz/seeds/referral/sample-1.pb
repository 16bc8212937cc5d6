
r
$00000000-0000-4000-8000-000000000001CN-FJ-2026-0042	CN/PLO-RU"CN/FJPSD*„íºØ0:BCN-RU-1995-MLARzhÏ
bBusinessman kidnapped in Moscow, ransom demand 15 million yuan; two accomplices located in Fujian.
kidnapping for ransomQ

	é™ˆå°æ˜CHEN Xiaoming
1988-03-14 *CN2	E12345678CNHR
CNFuzhouH

æ—æµ©LIN Hao
1988-03-14 *CN2	E12345678CNHR
CNFuzhou"*(
RU/MVDvictim freed by Russian police2