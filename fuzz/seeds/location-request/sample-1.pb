
q
$00000000-0000-4000-8000-000000000003CN-FJ-2026-0042CN/MPS"RU"TH"US*ํบุ0:BCN-RU-1995-MLARzhุ
A-1234/5-2026Q

	้ๅฐๆCHEN Xiaoming
1988-03-14 *CN2	E12345678CNHR
CNFuzhou(
	
fraudPRC Criminal Law art. 266x":FZ-2026-117Fuzhou Public Security Bureau"
2026-02-01(0:RU:TH:US