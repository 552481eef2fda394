"""Synthetic demo data: the same seed and ``GK_TODAY`` give the same data (ids aside).

Every record goes through the ORM session, so it carries its sync stamps like any other write
(the flush hook stamps it and keeps the names index in step). Ids are assigned here with
:func:`~gk_desktop.storage.ids.uuid7_str`, so a whole client with its children can be added at
once and a batch of clients is flushed once, at its commit.

Everything else comes from one ``random.Random(seed)``, drawn in a fixed order; tables below are
tuples, never sets, so nothing depends on string hashing. The data are invented: names from the
regions young refugees in NRW come from (Latin, Arabic and Ethiopic script, with the spellings
the same name takes in different documents), a residence history that ends in the current
status, school, language, work, identity, and one case (some two) with interviews.
"""

from __future__ import annotations

import calendar
import hashlib
import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

from sqlalchemy import select

from gk_desktop.domain.case_code import new_case_code
from gk_desktop.domain.clock import today
from gk_desktop.domain.enums import (
    AccessRoute,
    AsylumStage,
    CasePhase,
    CaseType,
    ClosureReason,
    ContactChannel,
    ContactType,
    Destination,
    EmploymentPermission,
    ExclusionOutcome,
    Gender,
    HousingType,
    InterpreterType,
    IdentityAction,
    IdentityClarified,
    IncomeCoverage,
    InfoSource,
    LanguageLevel,
    LanguageSkill,
    NameVariantKind,
    PersonalRelation,
    Qualification,
    DocumentSource,
    DocumentType,
    ResidenceStatus,
    WorkEndReason,
    WorkType,
)
from gk_desktop.storage.ids import uuid7_str
from gk_desktop.storage.models import (
    Agreement,
    Assessment,
    AsylumProcedure,
    Blob,
    Case,
    Client,
    ClientLanguage,
    ClientNameVariant,
    ClientNationality,
    Consent,
    Contact,
    Disclosure,
    Document,
    EducationRecord,
    Goal,
    IdentityEffort,
    IdentityStatus,
    LanguageCertificate,
    PersonalContact,
    Referral,
    ResidencePeriod,
    ServiceChain,
    Task,
    WorkRecord,
)
from gk_desktop.services.cycle import add_years
from gk_desktop.storage.seed import DEFAULT_PROGRAMME_KEY, programme_id

T = TypeVar("T")

# --------------------------------------------------------------------------- names
#
# A pool is "Latin|variant,variant|original script; …". Variants are the spellings the same name
# takes in other documents (transliterations; for Nigerian names, short forms used as aliases).


@dataclass(frozen=True)
class _Name:
    latin: str
    variants: tuple[str, ...]
    original: str  # in Arabic, Ethiopic or Cyrillic script; "" when none is listed


def _pool(spec: str) -> tuple[_Name, ...]:
    out = []
    for item in spec.split(";"):
        item = " ".join(item.split())
        if not item:
            continue
        parts = (item.split("|") + ["", ""])[:3]
        variants = tuple(v.strip() for v in parts[1].split(",") if v.strip())
        out.append(_Name(parts[0].strip(), variants, parts[2].strip()))
    return tuple(out)


@dataclass(frozen=True)
class _Region:
    key: str
    weight: int
    countries: tuple[tuple[str, int], ...]
    male: tuple[_Name, ...]
    female: tuple[_Name, ...]
    last: tuple[_Name, ...]
    script: str  # "arab", "ethi", "cyrl" or "" (the script of the originals)
    original_countries: tuple[str, ...]  # where names are written in that script
    variant_kind: str = NameVariantKind.TRANSLITERATION.value


_REGIONS: tuple[_Region, ...] = (
    _Region(
        "SYRIEN", 14, (("SY", 1),),
        _pool("""Mohammed|Muhammad,Mohamad,Mohammad|محمد; Ahmad|Ahmed,Achmad|أحمد; Omar|Umar,Omer|عمر;
        Yusuf|Youssef,Jusuf,Yousef|يوسف; Khaled|Khalid,Chaled|خالد; Hussein|Husain,Hussain|حسين;
        Mahmoud|Mahmud,Mahmood|محمود; Ibrahim|Ebrahim,Ibraheem|إبراهيم; Abdullah|Abdallah,Abdulla|عبد الله;
        Hamza|Hamsa|حمزة; Bilal||بلال; Mustafa|Moustafa,Mustapha|مصطفى; Alaa|Ala|علاء;
        Osama|Usama,Ousama|أسامة; Anas||أنس; Tarek|Tariq,Tarik|طارق; Rami||رامي; Firas||فراس;
        Samer||سامر; Majd||مجد"""),
        _pool("""Fatima|Fatma,Fatme,Fatimah|فاطمة; Aya|Ayah|آية; Rania|Ranya|رانيا; Nour|Nur,Noor|نور;
        Lina||لينا; Reem|Rim|ريم; Hiba|Heba|هبة; Sara|Sarah|سارة; Rasha|Rascha|رشا;
        Yasmin|Yasmine,Jasmin|ياسمين; Ghadeer|Ghadir|غدير; Dalia|Dalya|داليا; Amal||أمل;
        Marwa|Marwah|مروة; Asmaa|Asma|أسماء; Huda|Houda,Hoda|هدى"""),
        _pool("""Al-Hassan|Alhassan,El-Hassan|الحسن; Haddad|Hadad|حداد; Khalil|Chalil,Khaleel|خليل;
        Darwish|Darwisch,Derwish|درويش; Ibrahim|Ebrahim|إبراهيم; Al-Ahmad|Alahmad,El-Ahmad|الأحمد;
        Al-Khatib|Alkhatib,El-Khatib|الخطيب; Hamdan||حمدان; Al-Ali|Alali|العلي; Mansour|Mansur|منصور;
        Al-Saleh|Alsaleh,As-Saleh|الصالح; Kassem|Qasim,Kasem|قاسم; Najjar|Nadjar,Naddschar|نجار;
        Sabbagh|Sabbag|صباغ; Al-Mohammad|Almohammad,Al-Muhammad|المحمد; Hamoud|Hammoud,Hamud|حمود;
        Al-Jasem|Aljasem,Al-Jassem|الجاسم; Shaker|Schaker,Chaker|شاكر"""),
        "arab", ("SY",),
    ),
    _Region(
        "AFGHANISTAN", 16, (("AF", 1),),
        _pool("""Ahmad Shah|Ahmadshah|احمد شاه; Mustafa|Mostafa|مصطفی; Jawad|Javad|جواد; Farid|Fareed|فرید;
        Sayed Ali|Said Ali,Sayyed Ali|سید علی; Ali Reza|Alireza|علیرضا; Hamid|Hameed|حمید;
        Rahmatullah|Rahmatulla|رحمت الله; Zabihullah|Zabiullah,Sabiullah|ذبیح الله; Mujtaba|Mojtaba|مجتبی;
        Noorullah|Nurullah|نورالله; Hasibullah|Hasibulla|حسیب الله; Sohrab|Suhrab|سهراب;
        Mirwais|Mirways|میرویس; Naweed|Navid,Nawid|نوید; Shafiq|Schafik,Shafeeq|شفیق;
        Elyas|Ilyas,Iliyas|الیاس; Rohullah|Ruhullah|روح الله; Ehsan|Ihsan|احسان"""),
        _pool("""Mariam|Maryam|مریم; Zahra|Zohra|زهرا; Fereshta|Freshta,Fereshteh|فرشته; Madina|Medina|مدینه;
        Mursal|Morsal|مرسل; Shabnam|Schabnam|شبنم; Parwana|Parvaneh,Parwane|پروانه;
        Nazanin|Nasanin|نازنین; Sahar||سحر; Marzia|Marziyeh,Marziya|مرضیه; Nilofar|Nilufar,Niloofar|نیلوفر;
        Khadija|Chadija,Khadidja|خدیجه; Setara|Sitara|ستاره; Tamana|Tamanna|تمنا;
        Zarghona|Zarghuna|زرغونه"""),
        _pool("""Ahmadi||احمدی; Rahimi|Rahemi|رحیمی; Hosseini|Husseini,Hosaini|حسینی; Noori|Nuri,Nouri|نوری;
        Sultani|Soltani|سلطانی; Mohammadi|Muhammadi,Mohamadi|محمدی; Sharifi|Scharifi|شریفی;
        Haidari|Heydari,Haideri|حیدری; Karimi||کریمی; Popal||پوپل; Wardak|Wardag|وردک;
        Stanikzai|Stanekzai|ستانکزی; Amiri||امیری; Safi||صافی; Nazari|Nasari|نظری; Hakimi||حکیمی;
        Rezai|Rezaei,Rezaie|رضایی; Jafari|Jafary,Dschafari|جعفری; Azizi|Asisi|عزیزی; Samadi||صمدی"""),
        "arab", ("AF",),
    ),
    _Region(
        "IRAK", 12, (("IQ", 1),),
        _pool("""Ali|Aly|علي; Haider|Haidar,Hayder|حيدر; Abbas||عباس; Karrar|Karar|كرار;
        Sajjad|Sadschad,Sajad|سجاد; Muntadhar|Muntazar,Montadher|منتظر; Zaid|Zeid,Zayd|زيد;
        Yasir|Yasser,Jasir|ياسر; Hassan|Hasan|حسن; Mahdi|Mehdi|مهدي; Ammar|Amar|عمار;
        Mustafa|Moustafa|مصطفى; Hussein|Husain,Hussain|حسين; Ahmed|Ahmad|أحمد; Omar|Umar|عمر;
        Murtadha|Murtaza,Mortada|مرتضى"""),
        _pool("""Zainab|Zeinab,Sainab|زينب; Hawraa|Hawra|حوراء; Fatima|Fatma|فاطمة; Maryam|Mariam,Meryem|مريم;
        Noor|Nour,Nur|نور; Ruqaya|Rukaya,Ruqayya|رقية; Shahad|Schahad|شهد; Duaa|Doaa,Dua|دعاء;
        Israa|Esraa,Isra|إسراء; Tabarek|Tabarak|تبارك; Hadeel|Hadil|هديل; Zahraa|Zahra|زهراء;
        Aseel|Asil|أسيل; Sura||سرى; Ban||بان"""),
        _pool("""Al-Saadi|Alsaadi,As-Saadi|الساعدي; Hamad||حمد; Rashid|Raschid,Rasheed|رشيد;
        Al-Obaidi|Alobaidi,Al-Ubaidi|العبيدي; Al-Jubouri|Aljuburi,Al-Juburi|الجبوري;
        Al-Tamimi|Altamimi,At-Tamimi|التميمي; Kadhim|Kazem,Kazim|كاظم; Jassim|Jasim,Dschasim|جاسم;
        Al-Musawi|Almousawi,Al-Moussawi|الموسوي; Abdulkarim|Abdel-Karim,Abdulkareem|عبد الكريم;
        Al-Dulaimi|Aldulaimi,Al-Dulaymi|الدليمي; Al-Shammari|Alshammari,Asch-Schammari|الشمري;
        Salman||سلمان; Al-Rubaie|Alrubaie,Al-Rubaiy|الربيعي; Hussein|Husain|حسين; Mahmoud|Mahmud|محمود"""),
        "arab", ("IQ",),
    ),
    _Region(
        "KURDISCH", 8, (("TR", 35), ("IQ", 30), ("SY", 30), ("IR", 5)),
        _pool("""Rojhat|Rohat; Dilshad|Dilşad,Dilschad|دلشاد; Karwan|Karwân|کاروان; Azad|Azat|ئازاد;
        Baran||باران; Hozan||هۆزان; Zana||زانا; Delil; Serhat; Rêber|Reber|ڕێبەر; Şiyar|Shiyar,Schiyar;
        Ciwan|Jiwan,Djiwan|جوان; Dilovan|Dilowan; Welat|Walat; Rênas|Renas|ڕێناس; Alan||ئالان;
        Rebwar|Rêbwar|ڕێبوار; Shwan|Şwan|شوان"""),
        _pool("""Shilan|Şîlan,Schilan|شیلان; Berivan|Bêrîvan|بێریڤان; Rojda; Nesrin|Nasrin|نەسرین;
        Dilan||دیلان; Hêvî|Hevi; Zozan|Zozân; Rûken|Ruken; Evîn|Evin; Jiyan|Jîyan,Zhiyan|ژیان;
        Gulistan|Gulîstan; Sozdar; Rojin|Rozhin|ڕۆژین; Avin|Awin|ئاڤین; Shno|Schno|شنۆ"""),
        _pool("""Xelîl|Khalil,Chalil; Şêxo|Sheikho,Scheicho; Bakir|Bakr; Rasul|Rassoul|ڕەسوڵ;
        Hawrami||هەورامی; Zebari|Zibari; Berwari; Kurdi; Amedi|Amadi; Osman|Othman; Yusuf|Jusuf;
        Ibrahim|Ibrahîm; Aziz|Asis|عەزیز; Mahmud|Mahmoud; Omer|Omar; Haco|Hajo,Hadscho; Temo|Temmo;
        Ehmed|Ahmed"""),
        "arab", ("IQ", "IR", "SY"),
    ),
    _Region(
        "ERITREA", 6, (("ER", 1),),
        _pool("""Yonas|Jonas,Yonass|ዮናስ; Filmon|Filimon,Philemon|ፊልሞን; Dawit|Dawid,Davit|ዳዊት;
        Tesfay|Tesfaye,Tesfai|ተስፋይ; Mebrahtu|Mebrahtom,Mebratu|መብራህቱ; Henok|Henock,Enoch|ሄኖክ;
        Samuel|Samiel|ሳሙኤል; Robel|Rubel|ሮቤል; Biniam|Biniyam,Binyam|ቢንያም; Merhawi|Merhawie|መርሃዊ;
        Aron|Aaron|ኣሮን; Efrem|Ephrem,Ephraim|ኤፍሬም; Natnael|Nathanael,Natanael|ናትናኤል;
        Kidane|Kidanie|ኪዳነ; Amanuel|Emmanuel,Amanouel|ኣማኑኤል; Mussie|Musie,Mosie|ሙሴ"""),
        _pool("""Selam|Salam|ሰላም; Helen|Hellen|ሄለን; Ruta|Rutha|ሩታ; Saba|Sabah|ሳባ; Senait|Senayt,Sennait|ሰናይት;
        Winta|Wintana|ዊንታ; Yordanos|Jordanos|ዮርዳኖስ; Rahel|Rachel,Raheel|ራሄል; Hiwet|Hiwot,Hewet|ሕይወት;
        Lidia|Lydia,Lidya|ሊድያ; Eden||ኤደን; Luwam|Luam|ሉዋም; Semhar|Semhare|ሰምሃር;
        Freweini|Frewoyni,Freweyni|ፍረወይኒ; Tsega|Tsegga,Sega|ጸጋ; Milen|Millen|ሚለን"""),
        _pool("""Tesfamariam|Tesfamaryam,Tesfa-Mariam|ተስፋማርያም; Ghebremedhin|Gebremedhin,Ghebremedin|ገብረመድህን;
        Berhane|Berhani,Birhane|ብርሃነ; Habte||ሃብተ; Tekle|Teklé|ተኽለ; Kidane|Kidanie|ኪዳነ;
        Woldu|Weldu,Woldou|ወልዱ; Haile|Hailé,Hayle|ሃይለ; Mehari|Mehary|መሓሪ; Yohannes|Yohanes,Johannes|ዮሃንስ;
        Gebreyesus|Ghebreyesus,Gebre-Yesus|ገብረየሱስ; Tesfaldet|Tesfalidet|ተስፋልደት; Araya|Araia|ኣርኣያ;
        Asmerom|Asmeron|ኣስመሮም; Ghirmay|Girmay,Ghirmai|ግርማይ; Andemariam|Andemaryam|ኣንደማርያም;
        Negash|Negasch|ነጋሽ"""),
        "ethi", ("ER",),
    ),
    _Region(
        "SOMALIA", 5, (("SO", 1),),
        _pool("""Abdirahman|Abdurahman,Cabdiraxmaan; Mahad|Maxad; Abdullahi|Abdulahi,Cabdullaahi; Liban|Libaan;
        Mohamed|Maxamed,Mohammed; Ahmed|Axmed; Hassan|Xasan; Yusuf|Yuusuf; Omar|Cumar; Ali|Cali;
        Abdiaziz|Abdulaziz,Cabdicasiis; Abdiwali|Cabdiwali; Hamza|Xamza; Ibrahim|Ibraahim;
        Bashir|Bashiir; Farhan|Farxaan; Khalid|Khaalid; Mukhtar|Mukhtaar"""),
        _pool("""Hodan|Hodon; Ayaan|Ayan; Sahra|Saxra; Ifrah|Ifraax; Fadumo|Faduma,Fatuma; Hibo|Hiba; Ubah|Ubax;
        Nimco|Nimo; Amina|Aamina; Hamdi|Xamdi; Sagal|Sagaal; Khadra|Khadro; Ladan|Ladaan;
        Istahil|Istaahil; Deeqa|Deka; Asha|Caasha,Aisha"""),
        _pool("""Mohamud|Maxamuud,Mahmoud; Warsame|Warsama; Abdi|Cabdi; Farah|Faarax; Hussein|Xuseen;
        Osman|Cismaan; Jama|Jaamac; Ali|Cali; Aden|Aadan; Hirsi|Xirsi; Yusuf|Yuusuf; Nur|Nuur;
        Ismail|Ismaaciil; Dahir|Daahir; Egal|Cigaal; Ahmed|Axmed"""),
        "", (),
    ),
    _Region(
        "GUINEA", 10, (("GN", 1),),
        _pool("""Mamadou|Mamadu,Mohamadou; Ibrahima|Ibrahim; Alpha|Alfa; Ousmane|Usman,Osman; Thierno|Tierno,Cerno;
        Souleymane|Suleiman,Sulayman; Abdoulaye|Abdulai,Abdoulai; Amadou|Ahmadu,Amadu;
        Boubacar|Bubakar,Aboubacar; Mohamed|Mouhamed,Mohammed; Sékou|Sekou,Seku; Lansana|Lansanah;
        Alseny|Alsény; Saliou|Saliu; Moussa|Musa; Oumar|Umar; Ismaël|Ismael,Ismail; Cheick|Sheikh,Cheikh"""),
        _pool("""Fatoumata|Fatumata,Fatoumatta; Mariama|Mariam; Kadiatou|Kadiatu,Hadiatou; Aïssatou|Aissatou,Aysatu;
        Hawa|Awa; Djenabou|Jenabu,Dienabou; Aminata|Aminatou; Oumou|Umu; Ramatoulaye|Ramatulai;
        Binta|Bintou; Fanta; Néné|Nene; Safiatou|Safiatu; Hadja; Kadidia|Kadija; Mabinty|Mabinti"""),
        _pool("""Diallo|Jallow,Djallo; Barry|Bari; Bah|Ba; Camara|Kamara; Sow|Sou; Condé|Conde,Konde;
        Touré|Toure,Ture; Keita|Keïta,Keyta; Sylla|Silla; Soumah|Sumah,Souma; Cissé|Cisse,Sisse;
        Baldé|Balde; Kaba; Fofana|Fofanah; Traoré|Traore; Doumbouya|Dumbuya; Sidibé|Sidibe"""),
        "", (),
    ),
    _Region(
        "TUERKEI", 8, (("TR", 1),),
        _pool("""Mehmet|Mehmed; Şükrü|Sukru,Schükrü; Ahmet|Ahmed; Berkay; Emre; Mustafa; Hüseyin|Huseyin,Hüssein;
        Yusuf|Jusuf; Oğuz|Oguz; Furkan; Burak; Enes; Çağlar|Caglar; Ömer|Omer; İbrahim|Ibrahim;
        Serkan; Uğur|Ugur; Halil|Chalil; Cem|Djem"""),
        _pool("""Ayşe|Ayse,Aysche; Zeynep|Zeinep; Elif; Merve; Büşra|Busra; Esra; Gül|Gul; Hatice|Hatidsche,Hatije;
        Özge|Ozge; Sevgi; Derya; Tuğba|Tugba; Şeyma|Seyma,Scheyma; Sümeyye|Sumeyye; Kübra|Kubra"""),
        _pool("""Yılmaz|Yilmaz; Demir; Işık|Isik; Kaya; Aydın|Aydin; Çelik|Celik; Şahin|Sahin;
        Öztürk|Ozturk,Oeztuerk; Yıldız|Yildiz; Arslan|Aslan; Doğan|Dogan; Koç|Koc; Kılıç|Kilic; Polat;
        Özdemir|Ozdemir; Güneş|Gunes; Tekin; Akbulut"""),
        "", (),
    ),
    _Region(
        "IRAN", 6, (("IR", 1),),
        _pool("""Reza|Resa|رضا; Amir||امیر; Mohammad|Mohamad,Muhammad|محمد; Arash|Arasch|آرش; Mehdi|Mahdi|مهدی;
        Hossein|Hosein,Hussein|حسین; Saeed|Said,Saied|سعید; Behnam||بهنام; Kian|Kiyan|کیان;
        Milad||میلاد; Pouya|Puya,Pooya|پویا; Omid|Omeed|امید; Sina||سینا; Hamed||حامد;
        Farshad|Farschad|فرشاد; Babak||بابک; Navid|Naweed|نوید"""),
        _pool("""Parisa||پریسا; Shirin|Schirin|شیرین; Maryam|Mariam|مریم; Yasaman|Yasamin,Jasaman|یاسمن;
        Nazanin|Nasanin|نازنین; Mahsa|Mahssa|مهسا; Negar||نگار; Fatemeh|Fateme,Fatima|فاطمه;
        Zahra||زهرا; Shiva|Schiwa|شیوا; Ladan||لادن; Setareh|Setare|ستاره; Elham||الهام;
        Kimia|Kimiya|کیمیا; Niloufar|Nilufar,Niloofar|نیلوفر; Hanieh|Haniye,Hania|هانیه; Tara||تارا"""),
        _pool("""Hosseini|Hoseini,Husseini|حسینی; Karimi||کریمی; Moradi||مرادی; Jafari|Jafary|جعفری;
        Rahimi||رحیمی; Rezaei|Rezai,Rezaie|رضایی; Ahmadi||احمدی; Mohammadi|Mohamadi|محمدی;
        Hashemi|Haschemi|هاشمی; Ebrahimi|Ibrahimi|ابراهیمی; Ghasemi|Qasemi,Ghassemi|قاسمی;
        Sadeghi|Sadeqi|صادقی; Bagheri|Baqeri|باقری; Tehrani|Teherani|تهرانی; Kazemi|Kazemy|کاظمی;
        Mousavi|Musawi,Moussavi|موسوی; Zarei|Zare|زارعی; Najafi|Nadschafi|نجفی"""),
        "arab", ("IR",),
    ),
    _Region(
        "NIGERIA", 8, (("NG", 1),),
        _pool("""Chinedu|Nedu; Emeka; Oluwaseun|Seun; Ibrahim; Babatunde|Tunde; Ifeanyi|Ifeanyichukwu; Uchenna;
        Kelechi; Obinna; Ayodele|Ayo; Olamide|Lamide; Oluwasegun|Segun; Godwin; Samuel|Sammy; Daniel;
        Victor; Musa; Abubakar; Olufemi|Femi"""),
        _pool("""Blessing; Chioma; Adaeze|Ada; Favour; Precious; Joy; Ngozi; Funmilayo|Funmi; Oluwakemi|Kemi;
        Aisha|Aishat; Grace; Esther; Ifeoma|Ify; Temitope|Tope; Chiamaka|Amaka; Peace; Gift"""),
        _pool("""Okafor; Adeyemi; Eze; Balogun; Okonkwo; Obi; Nwosu; Ogunleye; Adebayo; Ibrahim; Okoro; Uche;
        Oyelaran; Abubakar; Olawale; Bello; Ekwueme; Nnamdi"""),
        "", (), NameVariantKind.ALIAS.value,
    ),
    _Region(
        "BALKAN", 4, (("RS", 60), ("BA", 20), ("ME", 5), ("MK", 15)),
        _pool("""Đorđe|Djordje,Dorde|Ђорђе; Nikola||Никола; Dragan||Драган; Marko||Марко; Stefan||Стефан;
        Miloš|Milos|Милош; Aleksandar|Alexandar|Александар; Nemanja||Немања; Dušan|Dusan,Duschan|Душан;
        Bojan||Бојан; Luka||Лука; Darko||Дарко; Zoran||Зоран; Enis; Elvis; Dženan|Dzenan,Dschenan;
        Edin; Senad; Kemal; Haris"""),
        _pool("""Jelena|Yelena|Јелена; Milica|Militsa|Милица; Ana||Ана; Ivana||Ивана; Dragana||Драгана;
        Jovana|Yovana|Јована; Marija|Maria|Марија; Tijana|Tiana|Тијана; Sanja|Sania|Сања; Vesna||Весна;
        Amra; Selma; Lejla|Leila; Mirela; Sabina; Elma"""),
        _pool("""Đorđević|Djordjevic,Dordevic|Ђорђевић; Jovanović|Jovanovic|Јовановић; Petrović|Petrovic|Петровић;
        Nikolić|Nikolic|Николић; Marković|Markovic|Марковић; Stojanović|Stojanovic|Стојановић;
        Ilić|Ilic|Илић; Pavlović|Pavlovic|Павловић; Stanković|Stankovic|Станковић;
        Mitrović|Mitrovic|Митровић; Hodžić|Hodzic; Mehmedović|Mehmedovic; Osmanović|Osmanovic;
        Ramić|Ramic; Bajramović|Bajramovic; Sejdić|Sejdic; Mustafić|Mustafic; Đurić|Djuric,Duric|Ђурић"""),
        "cyrl", ("RS", "ME"),
    ),
    _Region(
        "ALBANISCH", 3, (("AL", 50), ("MK", 25), ("RS", 25)),
        _pool("""Arben; Blerim; Driton; Ardit; Besnik; Fatmir; Valon; Egzon; Liridon; Arlind; Shkëlzen|Shkelzen;
        Gëzim|Gezim; Artan; Flamur; Granit; Ilir; Dardan; Agron"""),
        _pool("""Ardita; Blerta; Drita; Fjolla|Fjola; Arta; Vlora; Edona; Albulena; Besa; Teuta; Liridona;
        Majlinda; Elona; Rina; Donjeta; Vjosa|Vjosë"""),
        _pool("""Berisha; Krasniqi|Krasniki,Krasnici; Gashi; Morina; Hoxha|Hodscha,Hodza; Shala|Schala; Kelmendi;
        Bytyqi|Bytyci; Hasani; Rexhepi|Redzepi; Ahmeti; Çela|Cela; Kastrati; Dervishi|Derwischi; Zeka;
        Hyseni|Huseni; Sadiku; Musliu"""),
        "", (),
    ),
)

# Mother tongues (ISO 639 codes) per country of origin, and for some regions the language differs.
_TONGUES: dict[str, tuple[tuple[str, int], ...]] = {
    "SY": (("ar", 1),), "IQ": (("ar", 1),), "AF": (("prs", 60), ("ps", 40)), "IR": (("fa", 1),),
    "ER": (("ti", 88), ("tig", 12)), "SO": (("so", 1),), "GN": (("ff", 60), ("sus", 25), ("emk", 15)),
    "TR": (("tr", 1),), "NG": (("ig", 35), ("yo", 30), ("ha", 15), ("pcm", 20)),
    "RS": (("sr", 60), ("rom", 40)), "BA": (("bs", 1),), "ME": (("sr", 1),), "MK": (("rom", 60), ("mk", 40)),
    "AL": (("sq", 1),),
}
_KURDISH_TONGUE = {"TR": "kmr", "SY": "kmr", "IQ": "ckb", "IR": "ckb"}
_ALBANIAN_TONGUE = "sq"
# A second language often spoken (with a typical level).
_SECOND_LANGUAGE: dict[str, tuple[tuple[str, str], ...]] = {
    "AF": (("fa", "C1"), ("en", "A2")), "ER": (("am", "B1"), ("ar", "A2"), ("en", "A2")),
    "SO": (("ar", "A2"), ("en", "B1")), "GN": (("fr", "B2"),), "NG": (("en", "C1"),),
    "SY": (("en", "A2"), ("tr", "A2")), "IQ": (("en", "A2"),), "IR": (("en", "B1"),),
    "TR": (("en", "A2"),), "MK": (("sq", "B1"),), "RS": (("en", "A2"),), "AL": (("it", "A2"), ("en", "A2")),
}
_SECOND_NATIONALITY = {"ER": "ET", "BA": "HR", "MK": "AL", "RS": "BA", "SY": "LB", "IQ": "IR", "AF": "IR",
                       "GN": "SN", "SO": "KE", "NG": "GH", "IR": "AF", "AL": "GR", "TR": "AZ", "ME": "RS"}

_HOME_CITIES: dict[str, tuple[str, ...]] = {
    "SY": ("Aleppo", "Damaskus", "Homs", "Idlib", "Deir ez-Zor", "Hasaka", "Qamischli", "Daraa"),
    "AF": ("Kabul", "Herat", "Mazar-e Scharif", "Kandahar", "Ghazni", "Kundus", "Dschalalabad"),
    "IQ": ("Bagdad", "Mossul", "Basra", "Kirkuk", "Erbil", "Dohuk", "Sulaimaniyya", "Sindschar"),
    "ER": ("Asmara", "Keren", "Mendefera", "Dekemhare", "Massawa", "Adi Quala"),
    "SO": ("Mogadischu", "Kismayo", "Baidoa", "Beledweyne", "Hargeisa", "Galkayo"),
    "GN": ("Conakry", "Labé", "Kankan", "Kindia", "Mamou", "Nzérékoré"),
    "TR": ("Diyarbakır", "Istanbul", "Van", "Mardin", "Şanlıurfa", "Batman", "Konya"),
    "IR": ("Teheran", "Isfahan", "Maschhad", "Schiras", "Täbris", "Mahabad", "Kermanschah"),
    "NG": ("Lagos", "Benin City", "Enugu", "Kano", "Ibadan", "Port Harcourt", "Onitsha"),
    "RS": ("Belgrad", "Niš", "Novi Sad", "Kraljevo", "Leskovac", "Vranje"),
    "BA": ("Sarajevo", "Tuzla", "Bihać", "Zenica"), "ME": ("Podgorica", "Nikšić"),
    "MK": ("Skopje", "Tetovo", "Kumanovo", "Gostivar", "Štip"),
    "AL": ("Tirana", "Shkodër", "Durrës", "Elbasan", "Vlorë"),
}
_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "SY": ("Personalausweis (Syrien)", "Familienbuchauszug", "Geburtsurkunde"),
    "AF": ("Tazkira (Original)", "Tazkira (Kopie)", "Schulzeugnis"),
    "IQ": ("Personalausweis (Irak)", "Staatsangehörigkeitsurkunde (Jinsiya)", "Geburtsurkunde"),
    "ER": ("Taufschein (Kopie)", "Geburtsurkunde der Kirchengemeinde"),
    "SO": ("Geburtsurkunde (Kopie)",),
    "GN": ("Geburtsurkunde (Extrait d'acte de naissance)", "Personalausweis (Guinea)", "Konsularkarte"),
    "TR": ("Nüfus-Ausweis", "Personenstandsregisterauszug"),
    "IR": ("Shenasnameh (Geburtsurkunde)", "Personalausweis (Iran)"),
    "NG": ("Birth Certificate (Kopie)", "NIN-Nachweis"),
    "RS": ("Personalausweis (Serbien)", "Geburtsurkunde (internationale Form)"),
    "BA": ("Personalausweis (Bosnien und Herzegowina)", "Geburtsurkunde"),
    "ME": ("Personalausweis (Montenegro)",), "MK": ("Personalausweis (Nordmazedonien)", "Geburtsurkunde"),
    "AL": ("Personalausweis (Albanien)", "Geburtsurkunde"),
}

# German names for the people around a client: mentors, volunteers, lawyers, teachers.
_DE_FIRST = ("Anne", "Thomas", "Ursula", "Michael", "Sabine", "Klaus", "Petra", "Jürgen", "Monika", "Stefan",
             "Birgit", "Andreas", "Gabriele", "Frank", "Heike", "Martin", "Julia", "Jan", "Katharina", "Lukas",
             "Hildegard", "Bernhard", "Lea", "Tobias")
_DE_LAST = ("Müller", "Schmidt", "Schulte", "Brinkmann", "Terhaar", "Lammers", "Hüsing", "Bröker", "Wessels",
            "Schröer", "Kemper", "Overesch", "Hölscher", "Niehues", "Brüggemann", "Tenhagen", "Lindemann",
            "Feldkamp", "Wienker", "Beckmann", "Gerdes", "Rotering", "Kösters", "Elfers")

# --------------------------------------------------------------------------- places and offices

_ABH_ST = ("Ausländerbehörde Kreis Steinfurt", "ABH Kreis Steinfurt")
_ABH_RHEINE = ("Ausländerbehörde der Stadt Rheine", "ABH Rheine")
_ABH_MS = ("Ausländerbehörde der Stadt Münster", "ABH Münster")
_ABH_BOR = ("Ausländerbehörde Kreis Borken", "ABH Kreis Borken")
_ABH_COE = ("Ausländerbehörde Kreis Coesfeld", "ABH Kreis Coesfeld")
_ABH_WAF = ("Ausländerbehörde Kreis Warendorf", "ABH Kreis Warendorf")
_CITIES: tuple[tuple[str, tuple[str, ...], tuple[str, str], int], ...] = (
    ("Rheine", ("48429", "48431", "48432"), _ABH_RHEINE, 30),
    ("Emsdetten", ("48282",), _ABH_ST, 8),
    ("Greven", ("48268",), _ABH_ST, 6),
    ("Ibbenbüren", ("49477", "49479"), _ABH_ST, 7),
    ("Steinfurt", ("48565",), _ABH_ST, 5),
    ("Ochtrup", ("48607",), _ABH_ST, 3),
    ("Lengerich", ("49525",), _ABH_ST, 3),
    ("Hörstel", ("48477",), _ABH_ST, 2),
    ("Neuenkirchen", ("48485",), _ABH_ST, 2),
    ("Mettingen", ("49497",), _ABH_ST, 1),
    ("Münster", ("48143", "48145", "48147", "48149", "48151", "48153", "48155", "48157", "48159", "48161"),
     _ABH_MS, 12),
    ("Bocholt", ("46395", "46397", "46399"), _ABH_BOR, 4),
    ("Borken", ("46325",), _ABH_BOR, 2),
    ("Ahaus", ("48683",), _ABH_BOR, 2),
    ("Gronau (Westf.)", ("48599",), _ABH_BOR, 3),
    ("Coesfeld", ("48653",), _ABH_COE, 3),
    ("Dülmen", ("48249",), _ABH_COE, 3),
    ("Ahlen", ("59227", "59229"), _ABH_WAF, 3),
    ("Warendorf", ("48231",), _ABH_WAF, 2),
)
_STREETS = ("Emsstraße", "Bahnhofstraße", "Hauptstraße", "Lindenstraße", "Kirchstraße", "Schulstraße",
            "Gartenstraße", "Mühlenstraße", "Münsterstraße", "Friedrichstraße", "Breite Straße", "Birkenweg",
            "Eichenweg", "Ringstraße", "Feldstraße", "Marktstraße", "Wilhelmstraße", "Bergstraße",
            "Parkstraße", "Industriestraße", "Osnabrücker Straße", "Lingener Straße", "Tiefe Straße",
            "Overbergstraße", "Droste-Hülshoff-Straße", "Kolpingstraße", "Am Stadtpark", "Ahornweg",
            "Sandstraße", "Kardinal-von-Galen-Ring")
_ARRIVAL_OFFICES = ("Landeserstaufnahmeeinrichtung Bochum", "BAMF-Außenstelle Bochum", "BAMF-Außenstelle Bielefeld",
                    "Zentrale Ausländerbehörde Bielefeld", "Zentrale Ausländerbehörde Unna")

# --------------------------------------------------------------------------- work and school

# (male title, female title, months, employer pattern)
_QUALIFIED = (
    ("Anlagenmechaniker für Sanitär-, Heizungs- und Klimatechnik",
     "Anlagenmechanikerin für Sanitär-, Heizungs- und Klimatechnik", 42, "Heizungsbau {n} GmbH"),
    ("Elektroniker für Energie- und Gebäudetechnik", "Elektronikerin für Energie- und Gebäudetechnik", 42,
     "Elektro {n} GmbH & Co. KG"),
    ("Pflegefachmann", "Pflegefachfrau", 36, "Seniorenzentrum St. {s}"),
    ("Fachkraft für Lagerlogistik", "Fachkraft für Lagerlogistik", 36, "{n} Logistik GmbH"),
    ("Kfz-Mechatroniker", "Kfz-Mechatronikerin", 42, "Autohaus {n}"),
    ("Koch", "Köchin", 36, "Hotel-Restaurant {n}"),
    ("Maler und Lackierer", "Malerin und Lackiererin", 36, "Malerbetrieb {n}"),
    ("Tischler", "Tischlerin", 36, "Tischlerei {n}"),
    ("Industriemechaniker", "Industriemechanikerin", 42, "{n} Maschinenbau GmbH"),
    ("Zahnmedizinischer Fachangestellter", "Zahnmedizinische Fachangestellte", 36, "Zahnarztpraxis Dr. {n}"),
    ("Friseur", "Friseurin", 36, "Friseursalon {n}"),
    ("Verkäufer", "Verkäuferin", 24, "{n} Frischemarkt"),
    ("Fachlagerist", "Fachlageristin", 24, "{n} Logistik GmbH"),
    ("Maschinen- und Anlagenführer", "Maschinen- und Anlagenführerin", 24, "{n} Kunststofftechnik GmbH"),
    ("Fachkraft für Metalltechnik", "Fachkraft für Metalltechnik", 24, "{n} Metallbau GmbH"),
    ("Berufskraftfahrer", "Berufskraftfahrerin", 36, "Spedition {n}"),
    ("Dachdecker", "Dachdeckerin", 36, "Dachdeckerei {n}"),
    ("Hotelfachmann", "Hotelfachfrau", 36, "Hotel {n}"),
    ("Medizinischer Fachangestellter", "Medizinische Fachangestellte", 36, "Hausarztpraxis Dr. {n}"),
    ("Bäcker", "Bäckerin", 36, "Bäckerei {n}"),
    ("Mechatroniker für Kältetechnik", "Mechatronikerin für Kältetechnik", 42, "Kälte-Klima {n} GmbH"),
)
_HELPER_TRAINING = (
    ("Pflegefachassistent", "Pflegefachassistentin", 12, "Seniorenzentrum St. {s}"),
    ("Gesundheits- und Krankenpflegeassistent", "Gesundheits- und Krankenpflegeassistentin", 12, "Klinikum {c}"),
    ("Altenpflegehelfer", "Altenpflegehelferin", 12, "Ambulanter Pflegedienst {n}"),
)
_SCHOOL_TRAINING = (
    ("Sozialassistent", "Sozialassistentin", 24, "Berufskolleg {c}"),
    ("Kinderpfleger", "Kinderpflegerin", 24, "Berufskolleg {c}"),
    ("Staatlich geprüfter Erzieher", "Staatlich geprüfte Erzieherin", 36, "Fachschule für Sozialpädagogik {c}"),
)
_JOBS = (
    ("Produktionshelfer", "{n} Kunststofftechnik GmbH"), ("Lagerhelfer", "{n} Logistik GmbH"),
    ("Reinigungskraft", "Gebäudereinigung {n}"), ("Küchenhilfe", "Restaurant {n}"),
    ("Helfer im Garten- und Landschaftsbau", "GaLaBau {n}"), ("Kommissionierer", "{n} Versand GmbH"),
    ("Paketzusteller", "Zustelldienst {n}"), ("Maschinenbediener", "{n} Verpackungen GmbH"),
    ("Servicekraft", "Café {n}"), ("Montagehelfer", "{n} Fensterbau GmbH"),
    ("Helfer in der Fleischverarbeitung", "Fleischwaren {n}"), ("Pflegehelfer", "Ambulanter Pflegedienst {n}"),
)
_MINIJOBS = (("Aushilfe Gastronomie", "Pizzeria {n}"), ("Zeitungszusteller", "Verlagsvertrieb {n}"),
             ("Aushilfe Einzelhandel", "{n} Getränkemarkt"), ("Aushilfe Reinigung", "Gebäudereinigung {n}"))
_SAINTS = ("Josef", "Antonius", "Elisabeth", "Marien", "Clemens", "Bonifatius", "Ludgerus")

# --------------------------------------------------------------------------- texts

_MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
              "November", "Dezember")
# First interviews; the tag is a fact of the client or the case's access route.
_FIRST_NOTES: tuple[tuple[str, str], ...] = (
    ("Erstgespräch: Anliegen aufgenommen, Unterlagen zur Schule mitgebracht, Einwilligung erklärt.", ""),
    ("Erstgespräch mit Sprachmittlung; Lebenslage, Aufenthalt und Wünsche besprochen.", ""),
    ("Erstgespräch: kommt mit einem Freund, möchte eine Ausbildung machen; nächster Termin vereinbart.", ""),
    ("Erstkontakt nach Hinweis der Ausländerbehörde; Angebot des Teilhabemanagements erklärt.",
     AccessRoute.AUSLAENDERBEHOERDE.value),
    ("Erstgespräch nach Vermittlung durch das Berufskolleg; Schulsituation und Fehlzeiten besprochen.",
     AccessRoute.SCHULE_BERUFSKOLLEG.value),
    ("Erstgespräch, vermittelt vom Jugendmigrationsdienst; Unterlagen zum Aufenthalt gesichtet.",
     AccessRoute.JMD.value),
    ("Erstgespräch in der Unterkunft; Schul- und Arbeitserfahrungen aus dem Herkunftsland erfragt.", "unterkunft"),
)
# Interview notes; a tag limits a note to clients the fact applies to ("" for every client).
_NOTES: tuple[tuple[str, str], ...] = (
    ("Telefonat wegen Termin bei der Agentur für Arbeit, Begleitung vereinbart.", ""),
    ("Sprachkurs B1 läuft, Teilnahme regelmäßig, nächste Prüfung im Frühjahr.", ""),
    ("Gemeinsam Bewerbung für ein Praktikum vorbereitet, Lebenslauf aktualisiert.", ""),
    ("Rückmeldung vom Berufskolleg: Aufnahme zum neuen Schuljahr möglich.", "ohne_ausbildung"),
    ("Passbeschaffung besprochen, nächste Schritte festgehalten.", "identitaet"),
    ("Begleitung zur Ausländerbehörde; Duldung verlängert, Beschäftigungserlaubnis beantragt.", "duldung"),
    ("Unterlagen für die Anerkennung des Schulabschlusses zusammengestellt.", "auslaendisch"),
    ("Fallkonferenz mit Berufskolleg und Jobcenter; Aufgaben verteilt.", ""),
    ("Nachricht per Messenger: Termin wegen Krankheit verschoben.", ""),
    ("Ausbildungsbetrieb meldet gute Mitarbeit; Nachhilfe in Fachrechnen angeregt.", "ausbildung"),
    ("Schreiben der Ausländerbehörde gemeinsam gelesen und erklärt.", ""),
    ("Bewerbungsgespräch geübt; Fahrtweg mit Bus und Fahrrad geklärt.", ""),
    ("Hilfeplan besprochen und unterschrieben; nächste Überprüfung vereinbart.", ""),
    ("Antrag auf Bildungs- und Teilhabeleistungen ausgefüllt.", ""),
    ("Wohnungsangebot besprochen; Kontakt zur Wohnraumvermittlung hergestellt.", "unterkunft"),
    ("Anmeldung zum Integrationskurs begleitet, Wartezeit etwa acht Wochen.", ""),
    ("Termin beim Jugendmigrationsdienst vermittelt.", ""),
    ("Rücksprache mit der Rechtsanwältin zum Stand des Klageverfahrens.", "klage"),
    ("Zwischenstand: Praktikum erfolgreich beendet, Betrieb bietet eine EQ an.", "praktikum"),
    ("Kurzer Anruf: Unterlagen für die Ausländerbehörde liegen vollständig vor.", ""),
    ("Hausbesuch in der Unterkunft; ruhigen Lernort für die Schule gesucht.", "unterkunft"),
    ("Gespräch über Schulden beim Mobilfunkvertrag; Schuldnerberatung empfohlen.", ""),
    ("Vorbereitung auf die Prüfung Deutsch-Test für Zuwanderer.", ""),
    ("Berichtet von Konflikten in der Unterkunft; Sozialdienst informiert.", "unterkunft"),
    ("Bescheid des BAMF gemeinsam gelesen; Termin bei der Asylverfahrensberatung vereinbart.", "bescheid"),
    ("Duldung läuft bald aus; Termin bei der Ausländerbehörde vereinbart.", "duldung"),
)
_CLOSING_NOTES: dict[str, str] = {
    ClosureReason.ZIEL_ERREICHT.value: "Abschlussgespräch: Ziele überwiegend erreicht, Übergang begleitet.",
    ClosureReason.UEBERGANG_REGELSYSTEM.value:
        "Abschlussgespräch; weitere Begleitung durch den Jugendmigrationsdienst vereinbart.",
    ClosureReason.KONTAKTABBRUCH.value:
        "Fall abgeschlossen: kein Kontakt mehr seit mehreren Wochen, letzte Nachricht unbeantwortet.",
    ClosureReason.UMZUG.value: "Abschluss: Umzug in eine andere Stadt, Kontakt zur dortigen Beratungsstelle gegeben.",
    ClosureReason.ALTERSGRENZE.value:
        "Abschlussgespräch: Altersgrenze erreicht, Übergang in die Migrationsberatung für Erwachsene.",
}
_CLOSING_DEFAULT = "Abschlussgespräch geführt; Ergebnis und weitere Ansprechstellen besprochen."
_INTERNAL_NOTES = (
    "Bevorzugt Termine am Vormittag.", "Kommt meist mit dem Bruder.",
    "Erreichbarkeit über Messenger besser als Telefon.", "Sprachmittlung über den Dolmetscherpool anfragen.",
    "Arbeitet im Schichtdienst, Termine nach 16 Uhr.", "Post an die Unterkunft kommt nicht zuverlässig an.",
    "Hat Sorge vor Terminen bei der Ausländerbehörde; Begleitung anbieten.", "Sehr zuverlässig bei Terminen.",
    "Hörgeschädigt auf einem Ohr, ruhigen Raum wählen.", "Ehrenamtliche Patin begleitet regelmäßig.",
)
_EVALUATIONS = (
    "Ziele der Hilfeplanung überwiegend erreicht.", "Teilweise erreicht; Sprachziel offen geblieben.",
    "Übergang in das Regelsystem gelungen.", "Keine Auswertung möglich, Kontakt abgebrochen.", "",
)


# --------------------------------------------------------------------------- helpers


def _pick(rng: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + _days(rng.randint(0, (end - start).days))


def _years_between(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 365.25


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - _days((last.weekday() + 1) % 7)


def _berlin_to_utc(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """Office hours in Germany as UTC (summer time from the last Sunday of March to that of October)."""
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.timezone.utc)
    return local - dt.timedelta(hours=2 if summer else 1)


_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _mail_part(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.translate(_ASCII))
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


def _fake_mobile(rng: random.Random) -> str:
    return f"+49 1570 000 {rng.randint(0, 9999):04d}"


# --------------------------------------------------------------------------- one client


@dataclass
class _Period:
    status: str
    valid_from: dt.date
    valid_until: dt.date | None
    detail: str | None = None


_DULDUNG = (ResidenceStatus.DULDUNG_60A, ResidenceStatus.ERMESSENSDULDUNG_60A, ResidenceStatus.DULDUNG_60B,
            ResidenceStatus.AUSBILDUNGSDULDUNG_60C, ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D)
_LEGAL_DETAIL = {
    ResidenceStatus.ANKUNFTSNACHWEIS: "§ 63a AsylG",
    ResidenceStatus.AUFENTHALTSGESTATTUNG: "§ 55 AsylG",
    ResidenceStatus.DULDUNG_60A: "§ 60a Abs. 2 S. 1 AufenthG",
    ResidenceStatus.ERMESSENSDULDUNG_60A: "§ 60a Abs. 2 S. 3 AufenthG",
    ResidenceStatus.DULDUNG_60B: "§ 60b AufenthG (Duldung für Personen mit ungeklärter Identität)",
    ResidenceStatus.AUSBILDUNGSDULDUNG_60C: "§ 60c AufenthG",
    ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D: "§ 60d AufenthG",
    ResidenceStatus.FIKTIONSBESCHEINIGUNG: "§ 81 Abs. 4 AufenthG",
    ResidenceStatus.AE_16G: "§ 16g AufenthG",
    ResidenceStatus.AE_19D: "§ 19d Abs. 1a AufenthG",
    ResidenceStatus.AE_25A: "§ 25a Abs. 1 AufenthG",
    ResidenceStatus.AE_25B: "§ 25b AufenthG",
    ResidenceStatus.AE_25_5: "§ 25 Abs. 5 AufenthG",
    ResidenceStatus.AE_23A: "§ 23a AufenthG (Härtefallersuchen)",
    ResidenceStatus.AE_SCHUTZ: "§ 25 Abs. 2 AufenthG (subsidiärer Schutz)",
    ResidenceStatus.AE_SONSTIGE: "§ 28 Abs. 1 AufenthG",
}
# Current status: Duldung family ~55 %, Gestattung ~30 %, the rest ~15 %.
_CURRENT_STATUS: tuple[tuple[ResidenceStatus, int], ...] = (
    (ResidenceStatus.DULDUNG_60A, 330), (ResidenceStatus.ERMESSENSDULDUNG_60A, 40),
    (ResidenceStatus.DULDUNG_60B, 75), (ResidenceStatus.AUSBILDUNGSDULDUNG_60C, 70),
    (ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D, 35),
    (ResidenceStatus.AUFENTHALTSGESTATTUNG, 280), (ResidenceStatus.ANKUNFTSNACHWEIS, 20),
    (ResidenceStatus.AE_25A, 25), (ResidenceStatus.AE_25B, 10), (ResidenceStatus.AE_SCHUTZ, 25),
    (ResidenceStatus.AE_25_5, 10), (ResidenceStatus.AE_16G, 8), (ResidenceStatus.AE_19D, 5),
    (ResidenceStatus.AE_23A, 3), (ResidenceStatus.AE_SONSTIGE, 4),
    (ResidenceStatus.FIKTIONSBESCHEINIGUNG, 25), (ResidenceStatus.UNBEKANNT, 35),
)
_AGES = ((17, 2), (18, 9), (19, 11), (20, 12), (21, 12), (22, 11), (23, 10), (24, 9), (25, 8), (26, 7),
         (27, 6), (28, 2), (29, 1))
_ACCESS = ((AccessRoute.AUSLAENDERBEHOERDE, 25), (AccessRoute.SELBSTMELDUNG, 12), (AccessRoute.JMD, 10),
           (AccessRoute.SCHULE_BERUFSKOLLEG, 12), (AccessRoute.MIGRATIONSBERATUNG, 7), (AccessRoute.SOZIALAMT, 6),
           (AccessRoute.UNTERKUNFT, 6), (AccessRoute.EHRENAMT, 5), (AccessRoute.FAMILIE_PEERS, 6),
           (AccessRoute.AGENTUR_FUER_ARBEIT, 3), (AccessRoute.JOBCENTER, 2), (AccessRoute.COACHING, 2),
           (AccessRoute.KI_KIM, 2), (AccessRoute.AUFSUCHEND, 1), (AccessRoute.SONSTIGE, 1))
_PHASES = ((CasePhase.ERSTKONTAKT, 8), (CasePhase.KLAERUNG, 10), (CasePhase.ASSESSMENT, 12),
           (CasePhase.HILFEPLANUNG, 10), (CasePhase.UMSETZUNG, 24), (CasePhase.MONITORING, 14),
           (CasePhase.EVALUATION, 4), (CasePhase.ABGESCHLOSSEN, 13), (CasePhase.RUHEND, 5))
# How long ago (days) a case in this phase began.
_PHASE_AGE = {CasePhase.ERSTKONTAKT: (0, 30), CasePhase.KLAERUNG: (7, 90), CasePhase.ASSESSMENT: (20, 180),
              CasePhase.HILFEPLANUNG: (30, 240), CasePhase.UMSETZUNG: (60, 900), CasePhase.MONITORING: (180, 1000),
              CasePhase.EVALUATION: (300, 1100), CasePhase.ABGESCHLOSSEN: (60, 1100), CasePhase.RUHEND: (90, 900)}
_CLOSURE = ((ClosureReason.ZIEL_ERREICHT, 25), (ClosureReason.UEBERGANG_REGELSYSTEM, 20),
            (ClosureReason.WEITERLEITUNG, 8), (ClosureReason.ALTERSGRENZE, 8), (ClosureReason.KONTAKTABBRUCH, 14),
            (ClosureReason.WUNSCH_KLIENT, 5), (ClosureReason.EINWILLIGUNG_WIDERRUFEN, 1), (ClosureReason.UMZUG, 10),
            (ClosureReason.AUSREISE_FREIWILLIG, 3), (ClosureReason.ABSCHIEBUNG, 2), (ClosureReason.PROGRAMMENDE, 2),
            (ClosureReason.SONSTIGES, 2))
_DESTINATION = {
    ClosureReason.ZIEL_ERREICHT: ((Destination.AUSBILDUNG_BETRIEBLICH, 35), (Destination.SV_BESCHAEFTIGUNG, 20),
                                  (Destination.EINSTIEGSQUALIFIZIERUNG, 10), (Destination.SCHULE, 15),
                                  (Destination.HELFERAUSBILDUNG, 8), (Destination.AUSBILDUNG_SCHULISCH, 7),
                                  (Destination.STUDIUM, 2), (Destination.SPRACHKURS, 3)),
    ClosureReason.UEBERGANG_REGELSYSTEM: ((Destination.MASSNAHME_BAUSTEIN, 25), (Destination.SPRACHKURS, 25),
                                          (Destination.SCHULE, 20), (Destination.SONSTIGE_MASSNAHME, 20),
                                          (Destination.GERINGFUEGIG, 10)),
    ClosureReason.WEITERLEITUNG: ((Destination.SONSTIGE_MASSNAHME, 50), (Destination.MASSNAHME_BAUSTEIN, 30),
                                  (Destination.UNBEKANNT, 20)),
    ClosureReason.ALTERSGRENZE: ((Destination.SV_BESCHAEFTIGUNG, 30), (Destination.GERINGFUEGIG, 20),
                                 (Destination.OHNE_ANSCHLUSS, 30), (Destination.SPRACHKURS, 20)),
}
_CONTACT_TYPES = ((ContactType.PERSOENLICH, 45), (ContactType.TELEFONISCH, 20), (ContactType.VIDEO_MESSENGER, 12),
                  (ContactType.BEGLEITUNG, 10), (ContactType.AUFSUCHEND, 5), (ContactType.FALLKONFERENZ, 3),
                  (ContactType.SCHRIFTVERKEHR, 5))
_DURATION = {ContactType.PERSOENLICH: (30, 45, 60, 60, 90), ContactType.TELEFONISCH: (10, 15, 15, 20),
             ContactType.VIDEO_MESSENGER: (10, 15, 30), ContactType.BEGLEITUNG: (60, 90, 120, 180),
             ContactType.AUFSUCHEND: (45, 60, 90), ContactType.FALLKONFERENZ: (60, 90),
             ContactType.SCHRIFTVERKEHR: (10, 15, 20)}
_GERMAN_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
_CERT_EVIDENCE = {
    "A1": ("Start Deutsch 1 (telc)", "Goethe-Zertifikat A1"),
    "A2": ("DTZ A2", "telc Deutsch A2", "Goethe-Zertifikat A2"),
    "B1": ("DTZ B1", "telc Deutsch B1", "Goethe-Zertifikat B1"),
    "B2": ("telc Deutsch B2", "Goethe-Zertifikat B2", "DSD II (B2)"),
    "C1": ("telc Deutsch C1 Hochschule", "Goethe-Zertifikat C1", "TestDaF (TDN 4)"),
    "C2": ("Goethe-Zertifikat C2",),
}


class _ClientMaker:
    """Builds one client with everything that belongs to it; draws from ``rng`` in a fixed order."""

    def __init__(self, rng: random.Random, ref: dt.date, programme: str, used_codes: set[str]) -> None:
        self.rng = rng
        self.ref = ref
        self.programme = programme
        self.used_codes = used_codes
        self.region_weights = [r.weight for r in _REGIONS]
        self.partners: dict[str, str] = {}  # demo partner key → id (set by generate)

    # -- the whole client

    def make(self) -> tuple[list[object], int, int]:
        rng, ref = self.rng, self.ref
        self.records: list[object] = []
        cid = uuid7_str()
        self.cid = cid
        # Facts one part of the client hands to the next (set anew for every client).
        self.training: tuple[dt.date, int] | None = None  # start and months of a qualified training
        self.duldung_start: dt.date | None = None
        self.gestattung_end: dt.date | None = None
        self.school_end: dt.date | None = None
        self.in_school = False  # attends a school in Germany today
        self.last_permission = EmploymentPermission.UNBEKANNT
        self.job_start: dt.date | None = None  # the employment a § 60d Duldung rests on
        self.tags: set[str] = set()  # facts the texts of the case may refer to (membership tests only)
        region = rng.choices(_REGIONS, self.region_weights)[0]
        country = _pick(rng, region.countries)
        gender = _pick(rng, ((Gender.MAENNLICH, 680), (Gender.WEIBLICH, 310), (Gender.DIVERS, 5),
                             (Gender.KEINE_ANGABE, 5)))
        self.female = gender is Gender.WEIBLICH
        first, last = self._names(region, country, gender)

        age = _pick(rng, _AGES)
        fictitious = rng.random() < 0.12
        if fictitious:
            birth = dt.date(ref.year - age, 1, 1)
        else:
            latest = _add_months(ref, -12 * age)  # the last birth date of someone aged ``age`` today
            birth = latest - _days(rng.randint(0, 364))
        self.birth = birth

        status = _pick(rng, _CURRENT_STATUS)
        self.status = status
        self.city, postcodes, abh, _w = rng.choices(_CITIES, [c[3] for c in _CITIES])[0]
        self.abh = abh
        self.entry = self._entry_date(status, age)
        periods = self._residence(status)
        self._asylum(status, periods)
        german = self._languages(country, region, status)
        self._education(country)
        self._work(status, periods)
        self._identity(country, status)

        exclusion = ExclusionOutcome.KEINE
        housing = _pick(rng, ((HousingType.GEMEINSCHAFTSUNTERKUNFT, 38), (HousingType.EIGENE_WOHNUNG, 25),
                              (HousingType.WOHNGEMEINSCHAFT, 12), (HousingType.BEI_FAMILIE, 10),
                              (HousingType.JUGENDHILFE, 4 if age <= 21 else 0), (HousingType.OHNE_WOHNUNG, 1),
                              (HousingType.SONSTIGE, 2), (HousingType.UNBEKANNT, 3)))
        if status in (ResidenceStatus.AUFENTHALTSGESTATTUNG, ResidenceStatus.ANKUNFTSNACHWEIS) and rng.random() < 0.025:
            exclusion, housing = ExclusionOutcome.LANDESAUFNAHMEEINRICHTUNG, HousingType.LANDESEINRICHTUNG
        elif rng.random() < 0.002:
            exclusion = ExclusionOutcome.AUSSCHLUSS_PROGRAMMREGELN
        street = rng.choice(_STREETS)
        house = f"{rng.randint(1, 140)}{rng.choice(('', '', '', '', 'a', 'b'))}"
        address = f"{street} {house}, {rng.choice(postcodes)} {self.city}"
        if housing is HousingType.OHNE_WOHNUNG:
            address = f"Postadresse: Fachstelle Wohnungsnotfälle, {street} {house}, {rng.choice(postcodes)} {self.city}"
        phone = _fake_mobile(rng) if rng.random() < 0.93 else None
        email = None
        if rng.random() < 0.2 and not _is_nonlatin(first) and not _is_nonlatin(last):
            email = f"{_mail_part(first)}.{_mail_part(last)[:1]}{rng.randint(1, 99)}@example.org"
        channel = _pick(rng, ((ContactChannel.MESSENGER, 40), (ContactChannel.TELEFON, 25 if phone else 0),
                              (ContactChannel.PERSOENLICH, 15), (ContactChannel.SMS, 8 if phone else 0),
                              (ContactChannel.EMAIL, 12 if email else 0), (ContactChannel.UEBER_BEZUGSPERSON, 5),
                              (ContactChannel.POST, 3)))
        children = _pick(rng, ((0, 880), (1, 80), (2, 30), (3, 10))) if age >= 21 else 0
        interpreter_need = {None: 0.8, "A1": 0.75, "A2": 0.45, "B1": 0.1}.get(german, 0.0)
        interpreter = rng.random() < interpreter_need
        self.interpreter = interpreter
        notes = rng.choice(_INTERNAL_NOTES) if rng.random() < 0.45 else ""

        self._personal_contacts(region, country, last)
        tags = self.tags
        if status in _DULDUNG:
            tags.add("duldung")
        if housing in (HousingType.GEMEINSCHAFTSUNTERKUNFT, HousingType.LANDESEINRICHTUNG):
            tags.add("unterkunft")
        for record in self.records:
            if isinstance(record, AsylumProcedure):
                if record.stage == AsylumStage.KLAGE_ANHAENGIG.value:
                    tags.add("klage")
                if record.decision_served_on is not None and (ref - record.decision_served_on).days < 60:
                    tags.add("bescheid")
            elif isinstance(record, IdentityStatus) and record.clarified != IdentityClarified.JA.value:
                tags.add("identitaet")
            elif isinstance(record, EducationRecord):
                if record.qualification == Qualification.AUSLAENDISCH.value:
                    tags.add("auslaendisch")
                if record.country == "DE" and record.end_date is None:
                    tags.add("schule")
                if record.country == "DE" and record.qualification not in (None, Qualification.KEINER.value):
                    tags.add("abschluss_de")
            elif isinstance(record, WorkRecord):
                if record.type == WorkType.PRAKTIKUM.value:
                    tags.add("praktikum")
                if record.type in (WorkType.AUSBILDUNG_QUALIFIZIERT.value, WorkType.HELFERAUSBILDUNG.value,
                                   WorkType.AUSBILDUNG_SCHULISCH.value) and record.actual_end_date is None:
                    tags.add("ausbildung")
        if "ausbildung" not in tags:
            tags.add("ohne_ausbildung")
        n_cases, n_contacts, first_contact = self._cases(status, exclusion, periods, age)
        self._documents(status)
        if self.partners:
            from gk_desktop.services.demo_network import consents_for, cycle_for

            given = consents_for(rng, ref, cid, first_contact, status.value, self.partners)
            self.records.extend(given)
            releases = [c for c in given if isinstance(c, Consent)]
            for case in [r for r in self.records if isinstance(r, Case)]:
                self.records.extend(cycle_for(rng, ref, case, cid, releases, self.partners))
        code = new_case_code(first_contact, rng)  # type: ignore[arg-type]
        while code in self.used_codes:
            code = new_case_code(first_contact, rng)  # type: ignore[arg-type]
        self.used_codes.add(code)

        nationality = country
        if region.key == "KURDISCH" and country == "SY" and rng.random() < 0.2:
            nationality = "XX"  # stateless Kurds from Syria
        self.records.append(ClientNationality(client_id=cid, country=nationality))
        if rng.random() < 0.05 and country in _SECOND_NATIONALITY and nationality != "XX":
            self.records.append(ClientNationality(client_id=cid, country=_SECOND_NATIONALITY[country]))

        client = Client(
            id=cid, case_code=code, first_name=first, last_name=last, birth_date=birth,
            birth_date_fictitious=fictitious, gender=gender.value, country_of_origin=country,
            interpreter_needed=interpreter, interpreter_language=self.mother_tongue if interpreter else None,
            entry_date_de=self.entry, address=address, housing_type=housing.value, phone=phone, email=email,
            preferred_contact_channel=channel.value, minor_children=children, responsible_abh=abh[0],
            exclusion_outcome=exclusion.value, exclusion_checked_on=first_contact + _days(rng.randint(0, 14)),
            internal_notes=notes,
        )
        if rng.random() < 0.01:
            client.exclusion_outcome = client.exclusion_checked_on = None  # not checked yet
        elif client.exclusion_checked_on is not None and client.exclusion_checked_on > ref:
            client.exclusion_checked_on = ref
        return [client, *self.records], n_cases, n_contacts

    # -- names

    def _names(self, region: _Region, country: str, gender: Gender) -> tuple[str, str]:
        rng, cid = self.rng, self.cid
        pool = region.female if gender is Gender.WEIBLICH else region.male
        if gender in (Gender.DIVERS, Gender.KEINE_ANGABE):
            pool = rng.choice((region.male, region.female))
        first, last = rng.choice(pool), rng.choice(region.last)
        scripted = region.script and country in region.original_countries
        variants: list[tuple[str, str]] = []
        own_script = (scripted and region.script in ("arab", "ethi") and first.original and last.original
                      and rng.random() < (0.09 if region.script == "arab" else 0.12))
        if own_script:
            # Written by the person in their own script; the Latin spelling of the documents as variant.
            first_name, last_name = first.original, last.original
            variants.append((f"{first.latin} {last.latin}", NameVariantKind.TRANSLITERATION.value))
        else:
            first_name, last_name = first.latin, last.latin
            share = 0.85 if region.script == "ethi" else 0.55
            if scripted and (first.original or last.original) and rng.random() < share:
                original = " ".join(n for n in (first.original, last.original) if n)
                variants.append((original, NameVariantKind.ORIGINALSCHRIFT.value))
        for part in (first, last):
            if part.variants and rng.random() < 0.6:
                k = 1 if len(part.variants) == 1 or rng.random() < 0.6 else 2
                for v in rng.sample(part.variants, k):
                    variants.append((v, region.variant_kind))
        if rng.random() < 0.03:
            alias = rng.choice(region.male if gender is Gender.MAENNLICH else region.female).latin
            if alias != first.latin:
                variants.append((f"{alias} {last.latin}", NameVariantKind.ALIAS.value))
        for name, kind in variants:
            self.records.append(ClientNameVariant(client_id=cid, name=name, kind=kind))
        return first_name, last_name

    # -- residence

    def _entry_date(self, status: ResidenceStatus, age: int) -> dt.date:
        rng, ref = self.rng, self.ref
        lo, hi = {
            ResidenceStatus.AUFENTHALTSGESTATTUNG: (1.0, 4.0), ResidenceStatus.ANKUNFTSNACHWEIS: (1.0, 1.15),
            ResidenceStatus.DULDUNG_60A: (1.5, 9.0), ResidenceStatus.ERMESSENSDULDUNG_60A: (2.0, 9.0),
            ResidenceStatus.DULDUNG_60B: (1.5, 9.0), ResidenceStatus.AUSBILDUNGSDULDUNG_60C: (2.0, 9.0),
            ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D: (3.0, 9.0), ResidenceStatus.AE_25A: (3.5, 9.0),
            ResidenceStatus.AE_25B: (6.5, 9.0), ResidenceStatus.AE_19D: (5.0, 9.0),
            ResidenceStatus.AE_16G: (2.5, 9.0), ResidenceStatus.AE_25_5: (4.0, 9.0),
            ResidenceStatus.AE_23A: (4.0, 9.0), ResidenceStatus.FIKTIONSBESCHEINIGUNG: (2.5, 9.0),
            ResidenceStatus.AE_SCHUTZ: (1.5, 9.0), ResidenceStatus.AE_SONSTIGE: (1.5, 9.0),
        }.get(status, (1.0, 9.0))
        hi = min(hi, max(1.0, age - 9.0))  # came at ten at the earliest
        lo = min(lo, hi)
        days_lo, days_hi = int(lo * 365.25) + 1, int(hi * 365.25) - 1
        if status is ResidenceStatus.AUFENTHALTSGESTATTUNG:  # most procedures are younger
            entry = ref - _days(int(days_lo + (days_hi - days_lo) * rng.random() ** 1.8))
        else:
            entry = ref - _days(rng.randint(days_lo, max(days_lo, days_hi)))
        if status is ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D and entry > dt.date(2022, 12, 31):
            entry = max(ref - _days(int(9 * 365.25) - 1), dt.date(2022, 12, 31) - _days(rng.randint(0, 700)))
        return entry

    def _periods(self, status: ResidenceStatus, start: dt.date, end: dt.date, lengths: Sequence[tuple[int, int]],
                 max_rows: int) -> list[_Period]:
        """Consecutive periods of ``status`` from ``start`` to ``end``, built back from ``end``; the oldest
        ones are merged into one row when there would be more than ``max_rows``."""
        rng = self.rng
        out: list[_Period] = []
        until = end
        typical = _pick(rng, lengths)
        while until >= start:
            months = typical if rng.random() < 0.8 else _pick(rng, lengths)
            frm = _add_months(until + _days(1), -months)
            if frm <= start or (frm - start).days < 20:
                frm = start
            out.append(_Period(status.value, frm, until))
            until = frm - _days(1)
        out.reverse()
        if len(out) > max_rows:
            cut = len(out) - max_rows + 1
            merged = _Period(status.value, out[0].valid_from, out[cut - 1].valid_until,
                             "mehrfach verlängert, einzelne Zeiträume nicht bekannt")
            out = [merged, *out[cut:]]
        return out

    def _training_start(self, months: int, not_before: dt.date) -> dt.date:
        """A running training began on 1 August or 1 September (or, failing that, some day recently)."""
        rng, ref = self.rng, self.ref
        options = [dt.date(y, m, 1) for y in range(ref.year - 4, ref.year + 1) for m in (8, 9)]
        options = [d for d in options
                   if not_before <= d <= ref - _days(20) and _add_months(d, months) > ref + _days(30)]
        if options:
            return rng.choice(options)
        return min(ref, max(not_before, ref - _days(rng.randint(20, 200))))

    def _current_until(self, months: int) -> dt.date:
        """End of a current period: some expired, some running out within four weeks."""
        rng, ref = self.rng, self.ref
        longest = max(1, months * 30 - 5)  # the period must have begun by today
        roll = rng.random()
        if roll < 0.07:
            return ref - _days(rng.randint(1, 30))
        if roll < 0.22:
            return ref + _days(rng.randint(0, min(28, longest)))
        return ref + _days(rng.randint(min(29, longest), longest))

    def _residence(self, status: ResidenceStatus) -> list[_Period]:
        """The residence history from the entry to the current period, consecutive, oldest first."""
        rng, ref, entry = self.rng, self.ref, self.entry
        short = ((3, 45), (6, 40), (1, 5), (12, 10))
        gestattung = (ResidenceStatus.AUFENTHALTSGESTATTUNG, ResidenceStatus.ANKUNFTSNACHWEIS)
        # What came between the asylum procedure and the current status: (status, minimum days).
        before: list[tuple[ResidenceStatus, int]] = []
        if status in (ResidenceStatus.ERMESSENSDULDUNG_60A, ResidenceStatus.DULDUNG_60B):
            before = [(ResidenceStatus.DULDUNG_60A, 0)]
        elif status is ResidenceStatus.AUSBILDUNGSDULDUNG_60C:
            before = [(ResidenceStatus.DULDUNG_60A, 95)]
        elif status is ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D:
            before = [(ResidenceStatus.DULDUNG_60A, 370)]
        elif status in (ResidenceStatus.AE_25A, ResidenceStatus.AE_25B, ResidenceStatus.AE_25_5,
                        ResidenceStatus.AE_23A, ResidenceStatus.AE_16G):
            before = [(ResidenceStatus.DULDUNG_60A, 370 if status is ResidenceStatus.AE_25A else 180)]
        elif status is ResidenceStatus.AE_19D:
            before = [(ResidenceStatus.DULDUNG_60A, 120), (ResidenceStatus.AUSBILDUNGSDULDUNG_60C, 730)]
        elif status is ResidenceStatus.FIKTIONSBESCHEINIGUNG:
            before = [(rng.choice((ResidenceStatus.AE_SCHUTZ, ResidenceStatus.AE_25A)), 365)]
        need = sum(m for _s, m in before)
        earliest_current = entry + _days(90 + need)

        # The current period: fixed bounds (60c, 60d, unknown), or the last of a run of renewals.
        fixed: _Period | None = None
        lengths: tuple[tuple[int, int], ...] = short
        max_rows = 7
        if status is ResidenceStatus.AUSBILDUNGSDULDUNG_60C:
            months = rng.choice((36, 36, 42, 24))
            start = self._training_start(months, earliest_current + _days(30))
            self.training = (start, months)
            frm = min(ref, max(earliest_current, start - _days(rng.randint(0, 60))))
            fixed = _Period(status.value, frm, _add_months(start, months) - _days(1))
        elif status is ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D:
            frm = max(earliest_current, ref - _days(rng.randint(10, 29 * 30)))
            fixed = _Period(status.value, frm, _add_months(frm, 30) - _days(1))
            self.job_start = max(entry + _days(120), frm - _days(rng.randint(370, 700)))
        elif status is ResidenceStatus.UNBEKANNT:
            fixed = _Period(status.value, max(entry, ref - _days(rng.randint(0, 400))), None)
        else:
            if status in _DULDUNG:
                months = _pick(rng, short)
            elif status in gestattung:
                months = 6 if status is ResidenceStatus.ANKUNFTSNACHWEIS or rng.random() < 0.6 else 3
                lengths, max_rows = ((6, 60), (3, 40)), 3
            elif status is ResidenceStatus.FIKTIONSBESCHEINIGUNG:
                months = 3
                lengths = ((3, 1),)
            else:  # residence permits: one to three years, some expiring within three months
                years = 3 if status in (ResidenceStatus.AE_SCHUTZ, ResidenceStatus.AE_25A,
                                        ResidenceStatus.AE_16G) else rng.choice((1, 2, 2, 3))
                months = 12 * years
                lengths, max_rows = ((months, 1),), 4
            if status.value.startswith("AE_"):
                until = ref + _days(rng.randint(0, 90) if rng.random() < 0.12 else rng.randint(91, months * 30 - 20))
            else:
                until = self._current_until(months)
            last_from = _add_months(until + _days(1), -months)
            floor = entry if status in gestattung else earliest_current
            last = _Period(status.value, max(floor, last_from), until)
            run_from = last.valid_from
            if status is ResidenceStatus.AE_16G:  # the training the permit is for
                self.training = (min(ref, last.valid_from + _days(rng.randint(0, 45))), 36)
            if status in (ResidenceStatus.ERMESSENSDULDUNG_60A, ResidenceStatus.DULDUNG_60B):
                run_from = max(floor, _add_months(last.valid_from, -months * rng.randint(0, 3)))
                lengths = ((months, 1),)
        current_from = fixed.valid_from if fixed is not None else run_from

        periods: list[_Period] = []
        cursor = entry
        # The asylum procedure from the entry (for a current Gestattung it is the current run).
        if rng.random() < 0.4 and status is not ResidenceStatus.ANKUNFTSNACHWEIS:
            ank_end = entry + _days(rng.randint(7, 45))
            if ank_end < current_from - _days(30):
                periods.append(_Period(ResidenceStatus.ANKUNFTSNACHWEIS.value, entry, ank_end))
                cursor = ank_end + _days(1)
        if status not in gestattung and not (status is ResidenceStatus.UNBEKANNT and rng.random() < 0.5):
            room = (current_from - cursor).days
            gest = rng.randint(120, 1100)
            gest = max(60, min(gest, room - need - 1)) if room - need - 1 >= 60 else max(1, room // 3)
            head_end = cursor + _days(gest - 1)
            periods += self._periods(ResidenceStatus.AUFENTHALTSGESTATTUNG, cursor, head_end, ((6, 60), (3, 40)), 3)
            cursor = head_end + _days(1)
        # Middle stages share the time up to the current status.
        for i, (st, minimum) in enumerate(before):
            remaining = before[i + 1:]
            end = current_from - _days(1) - _days(sum(m for _s, m in remaining))
            if remaining:
                span = (end - cursor).days
                end = cursor + _days(max(minimum, int(span * rng.uniform(0.3, 0.8))))
            if end < cursor:
                continue
            if st in (ResidenceStatus.AE_SCHUTZ, ResidenceStatus.AE_25A):
                periods.append(_Period(st.value, cursor, end))
            elif st is ResidenceStatus.AUSBILDUNGSDULDUNG_60C:
                periods.append(_Period(st.value, cursor, end))
                self.training = (cursor - _days(rng.randint(0, 30)), max(24, round((end - cursor).days / 30.4)))
            else:
                periods += self._periods(st, cursor, end, short, 7)
            cursor = end + _days(1)
        # The current run.
        if fixed is not None:
            if status is not ResidenceStatus.UNBEKANNT and cursor < fixed.valid_from:
                fixed.valid_from = cursor
            periods.append(fixed)
        else:
            if cursor < last.valid_from:
                periods += self._periods(status, cursor, last.valid_from - _days(1), lengths, max_rows - 1)
            elif cursor > last.valid_from:
                last.valid_from = min(cursor, last.valid_until or cursor)
            periods.append(last)
        self._store_periods(periods)
        self.duldung_start = next((p.valid_from for p in periods if ResidenceStatus(p.status) in _DULDUNG), None)
        self.gestattung_end = next((p.valid_until for p in reversed(periods)
                                    if p.status == ResidenceStatus.AUFENTHALTSGESTATTUNG.value), None)
        return periods

    def _store_periods(self, periods: list[_Period]) -> None:
        rng, cid = self.rng, self.cid
        for i, p in enumerate(periods):
            st = ResidenceStatus(p.status)
            current = i == len(periods) - 1
            permission = EmploymentPermission.UNBEKANNT
            if st is ResidenceStatus.ANKUNFTSNACHWEIS:
                permission = EmploymentPermission.WARTEZEIT_ASYLG
            elif st is ResidenceStatus.AUFENTHALTSGESTATTUNG:
                permission = (EmploymentPermission.WARTEZEIT_ASYLG if (p.valid_from - self.entry).days < 90
                              else _pick(rng, ((EmploymentPermission.NUR_MIT_ERLAUBNIS_ABH, 80),
                                               (EmploymentPermission.UNBEKANNT, 12),
                                               (EmploymentPermission.WARTEZEIT_ASYLG, 8))))
            elif st is ResidenceStatus.DULDUNG_60A:
                permission = _pick(rng, ((EmploymentPermission.NUR_MIT_ERLAUBNIS_ABH, 68),
                                         (EmploymentPermission.VERBOT_60A_ABS6, 14),
                                         (EmploymentPermission.ERLAUBT, 12), (EmploymentPermission.UNBEKANNT, 6)))
                if i and ResidenceStatus(periods[i - 1].status) is st and rng.random() < 0.8:
                    permission = self.last_permission
            elif st is ResidenceStatus.ERMESSENSDULDUNG_60A:
                permission = EmploymentPermission.NUR_MIT_ERLAUBNIS_ABH
            elif st is ResidenceStatus.DULDUNG_60B:
                permission = EmploymentPermission.VERBOT_60B
            elif st is ResidenceStatus.UNBEKANNT:
                permission = EmploymentPermission.UNBEKANNT
            elif st is ResidenceStatus.FIKTIONSBESCHEINIGUNG:
                permission = EmploymentPermission.ERLAUBT if rng.random() < 0.85 else EmploymentPermission.UNBEKANNT
            else:
                permission = EmploymentPermission.ERLAUBT
            self.last_permission = permission
            if current:
                source = _pick(rng, ((InfoSource.DOKUMENT_GESEHEN, 75), (InfoSource.ABH_MIT_EINWILLIGUNG, 15),
                                     (InfoSource.ANGABE_KLIENT, 10)))
            else:
                source = _pick(rng, ((InfoSource.ANGABE_KLIENT, 55), (InfoSource.DOKUMENT_GESEHEN, 30),
                                     (InfoSource.ABH_MIT_EINWILLIGUNG, 15)))
            if st in (ResidenceStatus.ANKUNFTSNACHWEIS,) or (st is ResidenceStatus.AUFENTHALTSGESTATTUNG and i <= 1
                                                             and rng.random() < 0.5):
                office = rng.choice(_ARRIVAL_OFFICES)
            elif st is ResidenceStatus.UNBEKANNT:
                office = None
            else:
                office = self.abh[1] if rng.random() < 0.4 else self.abh[0]
            obligation = None
            if st in _DULDUNG and rng.random() < 0.5:
                obligation = f"Wohnsitzauflage: {self.city}"
            elif st is ResidenceStatus.AUFENTHALTSGESTATTUNG and rng.random() < 0.3:
                obligation = "Räumlich beschränkt auf den Bezirk der Ausländerbehörde"
            elif st is ResidenceStatus.AE_SCHUTZ and rng.random() < 0.4:
                obligation = f"Wohnsitzregelung nach § 12a AufenthG: {self.city}"
            detail = p.detail or _LEGAL_DETAIL.get(st)
            self.records.append(ResidencePeriod(
                client_id=cid, status=st.value, legal_detail=detail, valid_from=p.valid_from,
                valid_until=p.valid_until, employment_permission=permission.value, residence_obligation=obligation,
                issuing_office=office, source=source.value))

    # -- asylum procedure

    def _asylum(self, status: ResidenceStatus, periods: list[_Period]) -> None:
        rng, ref, entry = self.rng, self.ref, self.entry
        applied = entry + _days(rng.randint(10, 120))
        counsel = None
        if status is ResidenceStatus.ANKUNFTSNACHWEIS:
            stage, applied_on, served = AsylumStage.GESUCH, None, None
        elif status is ResidenceStatus.AUFENTHALTSGESTATTUNG:
            months = _years_between(entry, ref) * 12
            if months < 8:
                choices = ((AsylumStage.ANTRAG, 45), (AsylumStage.ANHOERUNG, 40), (AsylumStage.DUBLIN, 10),
                           (AsylumStage.BESCHEID_NEGATIV, 5))
            else:
                choices = ((AsylumStage.ANHOERUNG, 25), (AsylumStage.KLAGE_ANHAENGIG, 45),
                           (AsylumStage.BESCHEID_NEGATIV, 8), (AsylumStage.BESCHEID_POSITIV, 5),
                           (AsylumStage.OFFENSICHTLICH_UNBEGRUENDET, 4), (AsylumStage.FOLGEANTRAG, 5),
                           (AsylumStage.ANTRAG, 8))
            stage = _pick(rng, choices)
            applied_on = min(applied, ref)
            served = None
            if stage in (AsylumStage.BESCHEID_NEGATIV, AsylumStage.BESCHEID_POSITIV,
                         AsylumStage.OFFENSICHTLICH_UNBEGRUENDET, AsylumStage.DUBLIN):
                served = ref - _days(rng.randint(0, 20))  # just served: refer to legal advice at once
            elif stage is AsylumStage.KLAGE_ANHAENGIG:
                served = _between(rng, applied_on + _days(120), ref - _days(30))
            if stage in (AsylumStage.KLAGE_ANHAENGIG, AsylumStage.FOLGEANTRAG) or rng.random() < 0.1:
                title = "Rechtsanwältin" if rng.random() < 0.5 else "Rechtsanwalt"
                counsel = f"{title} {rng.choice(_DE_FIRST)} {rng.choice(_DE_LAST)}, Münster"
        elif status in _DULDUNG and rng.random() < 0.4:
            stage = _pick(rng, ((AsylumStage.RECHTSKRAEFTIG, 80), (AsylumStage.FOLGEANTRAG, 8),
                                (AsylumStage.OFFENSICHTLICH_UNBEGRUENDET, 12)))
            applied_on = applied
            end = self.gestattung_end or (applied + _days(300))
            served = max(applied + _days(30), end - _days(rng.randint(30, 120)))
        elif status is ResidenceStatus.AE_SCHUTZ:
            stage, applied_on = AsylumStage.BESCHEID_POSITIV, applied
            end = self.gestattung_end or applied + _days(200)
            served = max(applied + _days(30), end - _days(rng.randint(10, 40)))
        else:
            return
        notes = {AsylumStage.KLAGE_ANHAENGIG: "Klage beim Verwaltungsgericht Münster eingereicht.",
                 AsylumStage.DUBLIN: "Überstellung nach Italien angekündigt; Rechtsberatung vermittelt.",
                 AsylumStage.BESCHEID_NEGATIV: "Bescheid zugestellt, Frist für Klage beachten.",
                 AsylumStage.ANHOERUNG: "Anhörung beim BAMF hat stattgefunden."}
        self.records.append(AsylumProcedure(client_id=self.cid, stage=stage.value, applied_on=applied_on,
                                            decision_served_on=served, legal_counsel=counsel,
                                            note=notes.get(stage, "") if rng.random() < 0.6 else ""))

    # -- languages

    def _languages(self, country: str, region: _Region, status: ResidenceStatus) -> str | None:
        rng, cid, ref = self.rng, self.cid, self.ref
        if region.key == "KURDISCH":
            tongue = _KURDISH_TONGUE[country]
        elif region.key == "ALBANISCH":
            tongue = _ALBANIAN_TONGUE
        else:
            tongue = _pick(rng, _TONGUES[country])
        self.mother_tongue = tongue
        self.records.append(ClientLanguage(client_id=cid, language=tongue, level=LanguageLevel.MUTTERSPRACHE.value))
        if region.key == "KURDISCH":
            second: tuple[tuple[str, str], ...] = ((("tr", "C1"),) if country == "TR" else (("ar", "B2"),)
                                                    if country in ("SY", "IQ") else (("fa", "C1"),))
        else:
            second = _SECOND_LANGUAGE.get(country, ())
        if second and rng.random() < 0.45:
            lang, level = rng.choice(second)
            if lang != tongue:
                self.records.append(ClientLanguage(client_id=cid, language=lang, level=level))
        years = _years_between(self.entry, ref)
        if years < 2:
            weights = (5, 35, 35, 20, 5, 0, 0)
        elif years < 4:
            weights = (2, 10, 30, 40, 15, 3, 0)
        else:
            weights = (1, 5, 20, 40, 25, 8, 1)
        german = rng.choices((None, "A1", "A2", "B1", "B2", "C1", "C2"), weights)[0]
        if status in (ResidenceStatus.AUSBILDUNGSDULDUNG_60C, ResidenceStatus.AE_16G, ResidenceStatus.AE_19D) \
                and german in (None, "A1", "A2"):
            german = "B1"
        if status is ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D and german in (None, "A1"):
            german = "A2"
        if german:
            self.records.append(ClientLanguage(client_id=cid, language="de", level=german))
            top = _GERMAN_LEVELS.index(german)
            levels = []
            if rng.random() < 0.7:
                levels.append(top)
            if top > 0 and rng.random() < 0.4:
                levels.insert(0, rng.randint(0, top - 1))
            day = self.entry + _days(rng.randint(120, 400))
            for lv in levels:
                if day > ref:
                    break
                level = _GERMAN_LEVELS[lv]
                evidence = rng.choice(_CERT_EVIDENCE[level])
                skill = _pick(rng, ((LanguageSkill.GESAMT, 85), (LanguageSkill.MUENDLICH, 10),
                                    (LanguageSkill.SCHRIFTLICH, 5)))
                self.records.append(LanguageCertificate(client_id=cid, language="de", level=level,
                                                        skill=skill.value, evidence=evidence, date=day))
                day = day + _days(rng.randint(150, 500))
        if country == "NG" and rng.random() < 0.15:
            self.records.append(LanguageCertificate(client_id=cid, language="en", level="B2", skill="GESAMT",
                                                    evidence="WAEC Senior School Certificate (Englisch)",
                                                    date=self.entry - _days(rng.randint(400, 1500))))
        self.german = german
        return german

    # -- school

    def _education(self, country: str) -> None:
        rng, cid, ref, entry, birth = self.rng, self.cid, self.ref, self.entry, self.birth
        entry_age = _years_between(birth, entry)
        # School in the home country.
        years = rng.choices((0, 2, 4, 6, 8, 9, 10, 12), (7, 6, 10, 14, 18, 15, 14, 16))[0]
        years = min(years, max(0, int(entry_age) - 7))
        if years:
            start = dt.date(birth.year + 6 + rng.randint(0, 1), 9, 1)
            end = min(dt.date(start.year + years, 6, 30), entry - _days(60))
            if end > start:
                qualification = None
                recognised = None
                if years >= 12:
                    qualification, recognised = Qualification.AUSLAENDISCH.value, rng.choice((None, None, False, True))
                    programme = "Sekundarschule mit Abschlusszeugnis"
                elif years >= 9:
                    qualification = rng.choice((Qualification.KEINER.value, Qualification.AUSLAENDISCH.value))
                    programme = f"Grund- und Mittelschule ({years} Schuljahre)"
                else:
                    qualification = Qualification.KEINER.value
                    school = "Grundschule" if years <= 6 else "Grund- und Mittelschule"
                    programme = f"{school} ({years} Schuljahre)"
                city = rng.choice(_HOME_CITIES.get(country, ("Herkunftsort",)))
                self.records.append(EducationRecord(
                    client_id=cid, institution=f"Schule in {city}", programme=programme, country=country,
                    start_date=start, end_date=end, attendance_ok=rng.random() < 0.85 or years >= 9,
                    qualification=qualification, recognised=recognised))
        if years >= 12 and country in ("SY", "IR", "IQ") and rng.random() < 0.15 and entry_age > 19:
            start = dt.date(birth.year + 18, 10, 1)
            if start < entry - _days(200):
                self.records.append(EducationRecord(
                    client_id=cid, institution=rng.choice(("Universität Damaskus", "Universität Teheran",
                                                           "Universität Bagdad", "Universität Aleppo")),
                    programme=rng.choice(("Informatik", "Bauingenieurwesen", "Pharmazie", "Englische Literatur")) +
                    " (abgebrochen)", country=country, start_date=start, end_date=entry - _days(rng.randint(60, 180)),
                    attendance_ok=True, qualification=None, recognised=None))
        # School in Germany: most who came young, some who came older.
        share = 0.85 if entry_age < 19 else 0.7 if entry_age < 22 else 0.2 if entry_age < 25 else 0.05
        if rng.random() >= share:
            return
        city = self.city
        start = entry + _days(rng.randint(30, 150))
        if start.month == 7 or (start.month == 6 and start.day > 15):  # too late for this school year
            start = dt.date(start.year, 8, rng.randint(10, 31))
        school_year = start.year if start.month >= 8 else start.year - 1  # the school year it falls in
        if entry_age < 16:
            steps = [(f"Gesamtschule {city}", "Internationale Klasse (Sek. I)", None),
                     (f"Gesamtschule {city}", "Regelklasse 9", Qualification.HSA_9),
                     (f"Gesamtschule {city}", "Regelklasse 10",
                      rng.choice((Qualification.HSA_10, Qualification.FOR_MSA))),
                     (f"Berufskolleg {city}", "Berufsfachschule 2 (Fachoberschulreife)", Qualification.FOR_MSA)]
        else:
            steps = [(f"Berufskolleg {city}", "Internationale Förderklasse (IFK)", None),
                     (f"Berufskolleg {city}", "Ausbildungsvorbereitung (AV)", Qualification.HSA_9),
                     (f"Berufskolleg {city}", "Berufsfachschule 1 (Hauptschulabschluss nach Klasse 10)",
                      Qualification.HSA_10),
                     (f"Berufskolleg {city}", "Berufsfachschule 2 (Fachoberschulreife)", Qualification.FOR_MSA)]
            if rng.random() < 0.15:
                steps[0] = (f"Hauptschule {city}", "Seiteneinsteigerklasse", None)
        n = rng.choices((1, 2, 3, 4), (25, 35, 28, 12))[0]
        anchor = self.training[0] if self.training else self.job_start
        for k, (institution, programme, qualification) in enumerate(steps[:n]):
            end = dt.date(school_year + k + 1, 7, rng.randint(1, 12))
            if start > ref or (anchor is not None and end > anchor - _days(10)):
                break
            ok = rng.random() < 0.86
            if end > ref:  # still attending
                self.records.append(EducationRecord(client_id=cid, institution=institution, programme=programme,
                                                    country="DE", start_date=start, end_date=None, attendance_ok=ok,
                                                    qualification=None, recognised=None))
                self.school_end = None
                self.in_school = True
                return
            qual = qualification.value if (qualification and ok and rng.random() < 0.8) else (
                Qualification.KEINER.value if k == n - 1 and rng.random() < 0.3 else None)
            self.records.append(EducationRecord(client_id=cid, institution=institution, programme=programme,
                                                country="DE", start_date=start, end_date=end, attendance_ok=ok,
                                                qualification=qual, recognised=None))
            self.school_end = end
            if not ok:
                return
            start = dt.date(school_year + k + 1, 8, rng.randint(10, 31))

    # -- work

    def _occupation(self, table: Sequence[tuple[str, str, int, str]]) -> tuple[str, int, str]:
        rng = self.rng
        male, female, months, pattern = rng.choice(table)
        employer = pattern.format(n=rng.choice(_DE_LAST), s=rng.choice(_SAINTS), c=self.city)
        return (female if self.female else male), months, employer

    def _work(self, status: ResidenceStatus, periods: list[_Period]) -> None:
        rng, cid, ref = self.rng, self.cid, self.ref
        earliest = max(self.entry + _days(180), self.school_end + _days(20) if self.school_end else self.entry)
        self.occupation_wish = self._occupation(_QUALIFIED)[0]
        items: list[WorkRecord] = []
        training = self.training
        if status in (ResidenceStatus.AUSBILDUNGSDULDUNG_60C, ResidenceStatus.AE_16G, ResidenceStatus.AE_19D):
            occupation, months, employer = self._occupation(_QUALIFIED)
            if training is None:  # § 16g: training under the permit
                training = (periods[-1].valid_from - _days(rng.randint(0, 60)), months)
            start, months = training
            months = max(24, months)
            planned = _add_months(start, months) - _days(1)
            done = status is ResidenceStatus.AE_19D
            items.append(WorkRecord(
                client_id=cid, type=WorkType.AUSBILDUNG_QUALIFIZIERT.value, employer=employer, occupation=occupation,
                start_date=start, planned_end_date=planned,
                actual_end_date=min(planned, periods[-1].valid_from - _days(1)) if done else None,
                hours_per_week=rng.choice((38.5, 39.0, 40.0)), work_permit_on=start - _days(rng.randint(14, 90)),
                chamber_registered=True, end_reason=WorkEndReason.BESTANDEN.value if done else None,
                income_covers=_pick(rng, ((IncomeCoverage.NEIN, 50), (IncomeCoverage.UEBERWIEGEND, 45),
                                          (IncomeCoverage.VOLL, 5))).value))
            self.occupation_wish = occupation
            if done:
                job_start = min(ref, periods[-1].valid_from + _days(rng.randint(0, 30)))
                items.append(WorkRecord(
                    client_id=cid, type=WorkType.SV_BESCHAEFTIGUNG.value, employer=employer,
                    occupation=f"{occupation} (Fachkraft)", start_date=job_start, hours_per_week=40.0,
                    work_permit_on=job_start - _days(10), income_covers=IncomeCoverage.VOLL.value))
        elif status is ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D:
            occupation, employer = rng.choice(_JOBS)
            employer = employer.format(n=rng.choice(_DE_LAST))
            start = self.job_start or periods[-1].valid_from
            items.append(WorkRecord(
                client_id=cid, type=WorkType.SV_BESCHAEFTIGUNG.value, employer=employer, occupation=occupation,
                start_date=start, hours_per_week=float(rng.choice((20, 25, 30, 35, 38.5, 40, 40))),
                work_permit_on=start - _days(rng.randint(7, 40)),
                income_covers=_pick(rng, ((IncomeCoverage.VOLL, 60), (IncomeCoverage.UEBERWIEGEND, 40))).value))
        # Other steps: internships, EQ, training, jobs; some over, some running. They end before the
        # training or job the status rests on, and before a work ban of the current period.
        limit = ref
        if items and items[0].start_date is not None:
            limit = items[0].start_date - _days(7)
        if self.last_permission in (EmploymentPermission.VERBOT_60A_ABS6, EmploymentPermission.VERBOT_60B):
            limit = min(limit, periods[-1].valid_from)
        n = rng.choices((0, 1, 2, 3), (40, 35, 18, 7))[0]
        cursor = earliest
        for _ in range(n):
            if cursor >= limit - _days(14):
                break
            full_time = 0 if self.in_school else 1  # pupils: internships and minijobs only
            kind = _pick(rng, ((WorkType.PRAKTIKUM, 28), (WorkType.EINSTIEGSQUALIFIZIERUNG, 12 * full_time),
                               (WorkType.AUSBILDUNG_QUALIFIZIERT, 14 * full_time),
                               (WorkType.HELFERAUSBILDUNG, 6 * full_time),
                               (WorkType.AUSBILDUNG_SCHULISCH, 4 * full_time),
                               (WorkType.SV_BESCHAEFTIGUNG, 20 * full_time), (WorkType.GERINGFUEGIG, 16)))
            start = _between(rng, cursor, min(limit - _days(14), cursor + _days(400)))
            hours: float | None = None
            chamber = None
            income = None
            permit = start - _days(rng.randint(7, 60))
            if kind is WorkType.PRAKTIKUM:
                occupation, _m, employer = self._occupation(_QUALIFIED)
                occupation = f"Praktikum {occupation}"
                planned = start + _days(rng.choice((13, 20, 27, 41, 55)))
                hours = float(rng.choice((30, 35, 38.5, 40)))
                permit = None
            elif kind is WorkType.EINSTIEGSQUALIFIZIERUNG:
                occupation, _m, employer = self._occupation(_QUALIFIED)
                planned = _add_months(start, rng.choice((6, 9, 12))) - _days(1)
                hours, income = 39.0, IncomeCoverage.NEIN.value
            elif kind in (WorkType.AUSBILDUNG_QUALIFIZIERT, WorkType.HELFERAUSBILDUNG, WorkType.AUSBILDUNG_SCHULISCH):
                table = {WorkType.AUSBILDUNG_QUALIFIZIERT: _QUALIFIED, WorkType.HELFERAUSBILDUNG: _HELPER_TRAINING,
                         WorkType.AUSBILDUNG_SCHULISCH: _SCHOOL_TRAINING}[kind]
                occupation, months, employer = self._occupation(table)
                planned = _add_months(start, months) - _days(1)
                hours = 39.0 if kind is not WorkType.AUSBILDUNG_SCHULISCH else None
                chamber = kind is WorkType.AUSBILDUNG_QUALIFIZIERT
                income = _pick(rng, ((IncomeCoverage.NEIN, 60), (IncomeCoverage.UEBERWIEGEND, 40))).value
                if kind is WorkType.AUSBILDUNG_SCHULISCH:
                    permit, income = None, IncomeCoverage.NEIN.value
            else:
                table2 = _JOBS if kind is WorkType.SV_BESCHAEFTIGUNG else _MINIJOBS
                occupation, employer = rng.choice(table2)
                employer = employer.format(n=rng.choice(_DE_LAST))
                planned = _add_months(start, rng.choice((6, 12, 12, 24))) - _days(1) if rng.random() < 0.5 else None
                if kind is WorkType.SV_BESCHAEFTIGUNG:
                    hours = float(rng.choice((20, 25, 30, 35, 38.5, 40)))
                    income = _pick(rng, ((IncomeCoverage.VOLL, 40), (IncomeCoverage.UEBERWIEGEND, 40),
                                         (IncomeCoverage.NEIN, 20))).value
                else:
                    hours = float(rng.choice((6, 8, 10, 12)))
                    income = IncomeCoverage.NEIN.value
            actual = None
            end_reason = None
            horizon = planned or start + _days(rng.randint(90, 700))
            if horizon < limit:
                # Over: as planned or earlier.
                if kind in (WorkType.AUSBILDUNG_QUALIFIZIERT, WorkType.HELFERAUSBILDUNG, WorkType.AUSBILDUNG_SCHULISCH):
                    end_reason = _pick(rng, ((WorkEndReason.BESTANDEN, 55), (WorkEndReason.NICHT_BESTANDEN, 10),
                                             (WorkEndReason.ABGEBROCHEN, 35)))
                elif kind is WorkType.EINSTIEGSQUALIFIZIERUNG:
                    end_reason = _pick(rng, ((WorkEndReason.UEBERNOMMEN, 45), (WorkEndReason.BEFRISTUNG_ENDE, 35),
                                             (WorkEndReason.ABGEBROCHEN, 20)))
                elif kind is WorkType.PRAKTIKUM:
                    end_reason = _pick(rng, ((WorkEndReason.BEFRISTUNG_ENDE, 80), (WorkEndReason.ABGEBROCHEN, 10),
                                             (WorkEndReason.SONSTIGES, 10)))
                else:
                    end_reason = _pick(rng, ((WorkEndReason.BEFRISTUNG_ENDE, 40), (WorkEndReason.GEKUENDIGT, 35),
                                             (WorkEndReason.SONSTIGES, 25)))
                actual = horizon
                if end_reason in (WorkEndReason.ABGEBROCHEN, WorkEndReason.GEKUENDIGT):
                    actual = _between(rng, start + _days(20), horizon)
            elif limit < ref:
                # Ended when the training or job began, or when the work ban came.
                actual = limit - _days(1)
                end_reason = (WorkEndReason.UEBERNOMMEN if kind is WorkType.EINSTIEGSQUALIFIZIERUNG and items
                              else WorkEndReason.BEFRISTUNG_ENDE if kind is WorkType.PRAKTIKUM
                              else WorkEndReason.ABGEBROCHEN if kind in (WorkType.AUSBILDUNG_QUALIFIZIERT,
                                                                         WorkType.HELFERAUSBILDUNG,
                                                                         WorkType.AUSBILDUNG_SCHULISCH)
                              else WorkEndReason.SONSTIGES)
            items.append(WorkRecord(
                client_id=cid, type=kind.value, employer=employer, occupation=occupation, start_date=start,
                planned_end_date=planned, actual_end_date=actual, hours_per_week=hours, work_permit_on=permit,
                chamber_registered=chamber, end_reason=end_reason.value if end_reason else None,
                income_covers=income))
            if kind in (WorkType.AUSBILDUNG_QUALIFIZIERT, WorkType.EINSTIEGSQUALIFIZIERUNG) and actual is None:
                self.occupation_wish = occupation.removeprefix("Praktikum ")
            if actual is None and (planned is None or planned >= ref):
                break  # still running: nothing after it yet
            cursor = (actual or planned or start) + _days(rng.randint(7, 120))
        items.sort(key=lambda w: w.start_date or dt.date.min)
        self.records.extend(items)

    # -- identity

    def _identity(self, country: str, status: ResidenceStatus) -> None:
        rng, cid, ref = self.rng, self.cid, self.ref
        if rng.random() < 0.08:
            return  # not yet asked
        if status in (ResidenceStatus.AUSBILDUNGSDULDUNG_60C, ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D) or \
                status.value.startswith("AE_") or status is ResidenceStatus.FIKTIONSBESCHEINIGUNG:
            weights = ((IdentityClarified.JA, 85), (IdentityClarified.TEILWEISE, 12), (IdentityClarified.UNBEKANNT, 3))
        elif status is ResidenceStatus.DULDUNG_60B:
            weights = ((IdentityClarified.NEIN, 80), (IdentityClarified.TEILWEISE, 20))
        elif status in (ResidenceStatus.AUFENTHALTSGESTATTUNG, ResidenceStatus.ANKUNFTSNACHWEIS):
            weights = ((IdentityClarified.JA, 15), (IdentityClarified.TEILWEISE, 25), (IdentityClarified.NEIN, 30),
                       (IdentityClarified.UNBEKANNT, 30))
        else:
            weights = ((IdentityClarified.JA, 30), (IdentityClarified.TEILWEISE, 25), (IdentityClarified.NEIN, 35),
                       (IdentityClarified.UNBEKANNT, 10))
        clarified = _pick(rng, weights)
        docs = list(rng.sample(_DOCUMENTS[country], rng.randint(0, min(2, len(_DOCUMENTS[country])))))
        passport = None
        if clarified is IdentityClarified.JA or (clarified is IdentityClarified.TEILWEISE and rng.random() < 0.2):
            roll = rng.random()
            if clarified is IdentityClarified.JA and roll < 0.85 or roll < 0.5:
                r2 = rng.random()
                if r2 < 0.08:
                    passport = ref - _days(rng.randint(1, 400))
                elif r2 < 0.2:
                    passport = ref + _days(rng.randint(0, 180))
                else:
                    passport = ref + _days(rng.randint(181, 8 * 365))
                docs.insert(0, "Reisepass")
        if not docs and clarified in (IdentityClarified.NEIN, IdentityClarified.UNBEKANNT):
            docs = ["keine"] if rng.random() < 0.6 else []
        self.records.append(IdentityStatus(client_id=cid, clarified=clarified.value,
                                           documents_available=", ".join(docs), passport_valid_until=passport))
        if clarified is IdentityClarified.JA:
            return
        in_procedure = status in (ResidenceStatus.AUFENTHALTSGESTATTUNG, ResidenceStatus.ANKUNFTSNACHWEIS)
        n = rng.choices((0, 1, 2, 3), (25, 35, 25, 15))[0]
        since = (self.duldung_start or self.entry + _days(90))
        if since >= ref:
            return
        # No embassy contact while an asylum procedure runs (DOMAIN.md §3).
        actions: tuple[tuple[IdentityAction, int], ...] = (
            ((IdentityAction.ANFRAGE_FAMILIE, 40), (IdentityAction.URKUNDE_BESCHAFFT, 20),
             (IdentityAction.UEBERSETZUNG, 25), (IdentityAction.SONSTIGES, 15)) if in_procedure else
            ((IdentityAction.BOTSCHAFTSTERMIN, 25), (IdentityAction.PASSANTRAG, 15),
             (IdentityAction.ANFRAGE_FAMILIE, 15),
             (IdentityAction.EIDESSTATTLICHE_VERSICHERUNG, 10), (IdentityAction.UEBERSETZUNG, 10),
             (IdentityAction.URKUNDE_BESCHAFFT, 8), (IdentityAction.VORSPRACHE_ABH, 12), (IdentityAction.SONSTIGES, 5)))
        days = sorted(_between(rng, since, ref) for _ in range(n))
        for day in days:
            action = _pick(rng, actions)
            result, proof = rng.choice(_EFFORT_TEXTS[action])
            self.records.append(IdentityEffort(client_id=cid, date=day, action=action.value, result=result,
                                               proof=proof))

    # -- people around the client

    def _personal_contacts(self, region: _Region, country: str, last: str) -> None:
        rng, cid = self.rng, self.cid
        if rng.random() >= 0.35:
            return
        came_as_minor = _years_between(self.birth, self.entry) < 18
        for _ in range(rng.choices((1, 2), (80, 20))[0]):
            relation = _pick(rng, ((PersonalRelation.MENTOR, 25), (PersonalRelation.EHRENAMT, 25),
                                   (PersonalRelation.RECHTSANWALT, 12), (PersonalRelation.FAMILIE, 18),
                                   (PersonalRelation.EHEMALIGER_VORMUND, 8 if came_as_minor else 0),
                                   (PersonalRelation.LEHRKRAFT, 8), (PersonalRelation.SONSTIGE, 4)))
            de_first, de_last = rng.choice(_DE_FIRST), rng.choice(_DE_LAST)
            email = None
            if relation is PersonalRelation.FAMILIE:
                family = last if not _is_nonlatin(last) else rng.choice(region.last).latin
                name = f"{rng.choice(region.male).latin} {family}"
                data = rng.choice(("Bruder, wohnt in Bielefeld", "Cousin, wohnt in Osnabrück", "Onkel, wohnt in Köln",
                                   "Bruder, wohnt in der gleichen Unterkunft"))
            elif relation is PersonalRelation.RECHTSANWALT:
                name = f"{rng.choice(('Rechtsanwältin', 'Rechtsanwalt'))} {de_first} {de_last}"
                data = "Kanzlei in Münster, Schwerpunkt Migrationsrecht"
                email = f"kanzlei.{_mail_part(de_last)}@example.com"
            elif relation is PersonalRelation.MENTOR:
                name = f"{de_first} {de_last}"
                data = rng.choice(("Mentoring-Programm, wöchentliches Treffen", "Ausbildungspate der Handwerkskammer"))
            elif relation is PersonalRelation.EHRENAMT:
                name = f"{de_first} {de_last}"
                data = f"Flüchtlingshilfe {self.city} e. V., hilft bei Behördenpost"
            elif relation is PersonalRelation.EHEMALIGER_VORMUND:
                name = f"{de_first} {de_last}"
                data = "Ehemaliger Vormund (Jugendamt), bis zur Volljährigkeit"
            elif relation is PersonalRelation.LEHRKRAFT:
                name = f"{de_first} {de_last}"
                data = f"Klassenleitung am Berufskolleg {self.city}"
            else:
                name = f"{de_first} {de_last}"
                data = "Nachbarin, übersetzt manchmal"
            if email is None and rng.random() < 0.3:
                email = f"{_mail_part(de_first)}.{_mail_part(de_last)}@example.net"
            self.records.append(PersonalContact(
                client_id=cid, name=name, relation=relation.value,
                phone=_fake_mobile(rng) if rng.random() < 0.8 else None,
                email=email, contact_data=data, consent_to_contact=rng.random() < 0.7))

    # -- cases and interviews

    def _request(self, status: ResidenceStatus, periods: list[_Period]) -> str:
        """The client's request in their words, as the worker noted it; fits the client's facts."""
        rng, tags = self.rng, self.tags
        until = periods[-1].valid_until
        occupation = self.occupation_wish
        options: list[str] = [
            f"Sucht einen Praktikumsplatz, Interesse an einer Ausbildung als {occupation}.",
            "Möchte einen Deutschkurs besuchen; Wartezeit beim Integrationskurs zu lang.",
            "Mahnungen wegen eines Handyvertrags; braucht Hilfe bei einer Ratenzahlung.",
            "Möchte den Führerschein machen, um Ausbildungsbetriebe auf dem Land zu erreichen.",
            "Fragt nach Unterstützung bei Bewerbungen und beim Lebenslauf.",
        ]
        if "ausbildung" not in tags:
            options.append(f"Sucht einen Ausbildungsplatz als {occupation}.")
        if "abschluss_de" not in tags and "ausbildung" not in tags:
            options.append("Möchte den Hauptschulabschluss nachholen und einen Sprachkurs B1 besuchen.")
        if "unterkunft" in tags:
            options.append("Sucht eine eigene Wohnung, lebt noch in der Gemeinschaftsunterkunft.")
        if until is not None and "duldung" in tags and status not in (ResidenceStatus.AUSBILDUNGSDULDUNG_60C,
                                                                       ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D):
            if "ausbildung" not in tags:
                options.append(f"Sucht einen Ausbildungsplatz als {occupation}; Duldung läuft im "
                               f"{_MONTHS_DE[until.month - 1]} aus.")
            options.append("Möchte wissen, ob eine Aufenthaltserlaubnis nach § 25a möglich ist.")
        if "identitaet" in tags and "duldung" in tags:
            options.append("Braucht Unterstützung bei der Passbeschaffung; "
                           "die Ausländerbehörde hat eine Frist gesetzt.")
        if status is ResidenceStatus.AUSBILDUNGSDULDUNG_60C:
            options.append(f"Ausbildung als {occupation} läuft; Schwierigkeiten in der Berufsschule (Fachsprache).")
        if status is ResidenceStatus.BESCHAEFTIGUNGSDULDUNG_60D:
            options.append("Arbeitet in Vollzeit; möchte wissen, wie es nach der Beschäftigungsduldung weitergeht.")
        if status is ResidenceStatus.AUFENTHALTSGESTATTUNG:
            options.append("Wartet auf den Bescheid des BAMF; möchte wissen, was danach zu tun ist.")
            options.append("Fragt nach einer Beschäftigungserlaubnis für ein Jobangebot als Lagerhelfer.")
        if "bescheid" in tags:
            options.append("Hat einen Bescheid des BAMF bekommen und versteht ihn nicht.")
        if "auslaendisch" in tags:
            options.append("Möchte die Anerkennung des Schulabschlusses aus dem Herkunftsland klären.")
        if "schule" in tags:
            options.append("Kommt über das Berufskolleg; Schulabschluss wegen Fehlzeiten gefährdet.")
        return rng.choice(options)

    def _documents(self, status: ResidenceStatus) -> None:
        """Scans in the file of some clients: language certificates, school reports, and for a few
        Duldung holders a copy of the Duldung kept for a stated purpose until a delete-by date.
        The demo files are one-page PDFs saying what they stand for (no names in them)."""
        rng, ref = self.rng, self.ref
        case = next((r for r in reversed(self.records) if isinstance(r, Case)), None)
        if case is None:
            return
        wanted: list[tuple[str, str, dt.date | None, dict[str, object], object]] = []
        for record in self.records:
            if isinstance(record, LanguageCertificate) and record.language == "de" and rng.random() < 0.3:
                wanted.append((DocumentType.SPRACHZERTIFIKAT.value, f"Sprachzertifikat {record.level}", record.date, {},
                               record))
            elif isinstance(record, EducationRecord) and record.country == "DE" and record.end_date is not None \
                    and record.end_date <= ref and rng.random() < 0.2:
                title = "Abschlusszeugnis" if record.attendance_ok else "Abgangszeugnis"
                wanted.append((DocumentType.ZEUGNIS.value, title, record.end_date, {}, record))
        if status.value.startswith("DULDUNG") and rng.random() < 0.1:
            seen = min(ref, case.first_contact_on + _days(rng.randint(0, 30)))
            wanted.append((DocumentType.DULDUNG_KOPIE.value, "Duldung (Kopie)", seen, {
                "purpose": "Nachweis für den Antrag auf Ausbildungsduldung (§ 60c AufenthG)",
                "delete_by": max(ref, seen) + _days(rng.randint(30, 180)), "source": DocumentSource.KLIENT.value},
                None))
        stored: set[str] = set()
        for doc_type, title, day, extra, evidence_of in wanted:
            data = _demo_pdf(title, case.id, day)
            digest = hashlib.sha256(data).hexdigest()
            if digest in stored:
                continue
            stored.add(digest)
            self.records.append(Blob(sha256=digest, size=len(data), data=data, created_at=_now_utc()))
            extra.setdefault("source", DocumentSource.KLIENT.value)
            doc = Document(id=uuid7_str(), case_id=case.id, doc_type=doc_type, title=title, date=day, sha256=digest,
                           mime="application/pdf", size=len(data), **extra)
            self.records.append(doc)
            if evidence_of is not None:
                evidence_of.document_id = doc.id  # type: ignore[attr-defined]

    def _cases(self, status: ResidenceStatus, exclusion: ExclusionOutcome,
               periods: list[_Period], age: int) -> tuple[int, int, dt.date]:
        rng, ref = self.rng, self.ref
        earliest = min(ref, self.entry + _days(30))
        plans: list[tuple[CasePhase, CaseType, dt.date, dt.date | None]] = []
        phase = _pick(rng, _PHASES)
        case_type = CaseType.CASE_MANAGEMENT if rng.random() < 0.85 else CaseType.KURZBERATUNG
        if case_type is CaseType.KURZBERATUNG:
            phase = rng.choice((CasePhase.ERSTKONTAKT, CasePhase.KLAERUNG, CasePhase.ABGESCHLOSSEN,
                                CasePhase.ABGESCHLOSSEN))
        if exclusion is not ExclusionOutcome.KEINE:
            case_type = CaseType.KURZBERATUNG
            phase = rng.choice((CasePhase.ERSTKONTAKT, CasePhase.ABGESCHLOSSEN))
        lo, hi = _PHASE_AGE[phase]
        if case_type is CaseType.KURZBERATUNG:
            lo, hi = 0, min(hi, 400)
        first = max(earliest, ref - _days(rng.randint(lo, hi)))
        closed = None
        if phase is CasePhase.ABGESCHLOSSEN:
            length = rng.randint(1, 30) if case_type is CaseType.KURZBERATUNG else rng.randint(45, 700)
            closed = min(ref, first + _days(length))
        if rng.random() < 0.07 and phase is not CasePhase.ABGESCHLOSSEN and (first - earliest).days > 120:
            # An earlier case, closed before this one began.
            old_first = _between(rng, earliest, first - _days(120))
            old_closed = _between(rng, old_first + _days(30), first - _days(30))
            plans.append((CasePhase.ABGESCHLOSSEN, CaseType.CASE_MANAGEMENT, old_first, old_closed))
        plans.append((phase, case_type, first, closed))
        n_contacts = 0
        access = _pick(rng, _ACCESS)
        for number, (ph, ct, first_on, closed_on) in enumerate(plans, start=1):
            case_id = uuid7_str()
            intake = None if ph is CasePhase.ERSTKONTAKT else min(ref, first_on + _days(rng.randint(0, 21)))
            if closed_on is not None and intake is not None and intake > closed_on:
                intake = closed_on
            review = None
            if ph not in (CasePhase.ABGESCHLOSSEN,) and ct is CaseType.CASE_MANAGEMENT:
                # Some reviews overdue; a paused case is looked at again within two months.
                review = ref + _days(rng.randint(-21, 90) if ph is not CasePhase.RUHEND else rng.randint(0, 60))
            reason = destination = None
            evaluation = ""
            if ph is CasePhase.ABGESCHLOSSEN:
                reason = _pick(rng, _CLOSURE)
                if reason is ClosureReason.ALTERSGRENZE and age < 27:
                    reason = ClosureReason.UEBERGANG_REGELSYSTEM
                if number < len(plans):
                    reason = _pick(rng, ((ClosureReason.KONTAKTABBRUCH, 40), (ClosureReason.UMZUG, 20),
                                         (ClosureReason.WUNSCH_KLIENT, 20), (ClosureReason.ZIEL_ERREICHT, 20)))
                dest_pool = _DESTINATION.get(reason)
                if dest_pool is not None:
                    destination = _pick(rng, dest_pool)
                elif reason in (ClosureReason.ABSCHIEBUNG, ClosureReason.AUSREISE_FREIWILLIG):
                    destination = Destination.OHNE_ANSCHLUSS
                else:
                    destination = Destination.UNBEKANNT
                evaluation = rng.choice(_EVALUATIONS)
            mandate = ""
            if ph in (CasePhase.HILFEPLANUNG, CasePhase.UMSETZUNG, CasePhase.MONITORING, CasePhase.EVALUATION) \
                    or (ph is CasePhase.ABGESCHLOSSEN and ct is CaseType.CASE_MANAGEMENT):
                mandate = rng.choice(("Begleitung bei Ausbildungssuche und Aufenthaltssicherung.",
                                      "Unterstützung bei Schule, Sprache und Behördenkontakten.",
                                      "Klärung der Bleibeperspektive und Vermittlung in Angebote.",
                                      "Unterstützung bei Passbeschaffung und Arbeitsaufnahme."))
            route = access if number == 1 else _pick(rng, _ACCESS)
            self.records.append(Case(
                id=case_id, client_id=self.cid, number=number, phase=ph.value, case_type=ct.value,
                access_route=route.value, first_contact_on=first_on,
                intake_on=intake, request=self._request(status, periods), mandate=mandate,
                funding_programme_id=self.programme, next_review_on=review, closed_on=closed_on,
                closure_reason=reason.value if reason else None, destination=destination.value if destination else None,
                evaluation=evaluation,
                retention_until=add_years(closed_on, 3) if closed_on is not None else None))
            n_contacts += self._contacts(case_id, ph, ct, first_on, closed_on, reason, route)
        return len(plans), n_contacts, plans[0][2]

    def _contacts(self, case_id: str, phase: CasePhase, case_type: CaseType, first_on: dt.date,
                  closed_on: dt.date | None, reason: ClosureReason | None, access: AccessRoute) -> int:
        """One to four interviews (short advice: mostly one), in time order, office hours, no weekends."""
        rng, ref = self.rng, self.ref
        n = 1 if case_type is CaseType.KURZBERATUNG and rng.random() < 0.7 else rng.randint(1, 4)
        last_day = closed_on or ref
        if phase is CasePhase.RUHEND:  # no contact for more than six weeks
            last_day = max(first_on, min(last_day, ref - _days(rng.randint(43, 120))))
        days = [first_on] + [_between(rng, first_on, last_day) for _ in range(n - 1)]
        if closed_on is not None and n > 1:
            days[-1] = closed_on
        times = []
        for day in days:
            if day.weekday() >= 5:
                day = max(first_on, day - _days(day.weekday() - 4))  # to the Friday before
            times.append(_berlin_to_utc(day, rng.randint(8, 16), rng.choice((0, 15, 30, 45))))
        times.sort()
        notes = [text for text, tag in _NOTES if not tag or tag in self.tags]
        firsts = [text for text, tag in _FIRST_NOTES if not tag or tag in self.tags or tag == access.value]
        for k, at in enumerate(times):
            if k == 0:
                note = rng.choice(firsts)
                ctype = ContactType.PERSOENLICH if rng.random() < 0.8 else _pick(rng, _CONTACT_TYPES)
            elif closed_on is not None and k == len(times) - 1:
                note = _CLOSING_NOTES.get(reason.value if reason else "", _CLOSING_DEFAULT)
                ctype = ContactType.PERSOENLICH if rng.random() < 0.7 else ContactType.TELEFONISCH
            else:
                note = notes.pop(rng.randrange(len(notes)))
                ctype = _pick(rng, _CONTACT_TYPES)
            spoken = self.interpreter and ctype in (ContactType.PERSOENLICH, ContactType.AUFSUCHEND,
                                                     ContactType.BEGLEITUNG, ContactType.TELEFONISCH)
            who = (_pick(rng, ((InterpreterType.PROFESSIONELL, 5), (InterpreterType.EHRENAMTLICH, 3),
                               (InterpreterType.FAMILIE, 2))) if spoken else InterpreterType.KEINE)
            self.records.append(Contact(case_id=case_id, at=at, duration_min=rng.choice(_DURATION[ctype]),
                                        contact_type=ctype.value, note=note, interpreter=who.value,
                                        interpreter_language=self.mother_tongue if spoken else None,
                                        place=_PLACES.get(ctype)))
        return n


_PLACES = {
    ContactType.PERSOENLICH: "Büro Teilhabemanagement",
    ContactType.AUFSUCHEND: "Unterkunft",
    ContactType.BEGLEITUNG: "Termin außer Haus",
}


_EFFORT_TEXTS: dict[IdentityAction, tuple[tuple[str, str], ...]] = {
    IdentityAction.BOTSCHAFTSTERMIN: (
        ("Termin bei der Botschaft in Berlin wahrgenommen; Antrag wird geprüft.", "Terminbestätigung der Botschaft"),
        ("Botschaft verlangt die Geburtsurkunde im Original.", "Gesprächsnotiz"),
        ("Termin von der Botschaft abgesagt, neuer Termin angefragt.", "E-Mail der Botschaft (Ausdruck)")),
    IdentityAction.PASSANTRAG: (
        ("Passantrag gestellt, Bearbeitungszeit laut Botschaft etwa sechs Monate.", "Quittung Passantrag (Kopie)"),
        ("Passgebühr bezahlt; Antrag liegt der Botschaft vor.", "Zahlungsbeleg")),
    IdentityAction.ANFRAGE_FAMILIE: (
        ("Familie im Herkunftsland gebeten, Ausweisdokumente zu besorgen.", ""),
        ("Familie hat Kopie des Ausweises per Messenger geschickt.", "Bildschirmfoto des Nachrichtenverlaufs"),
        ("Keine Antwort der Familie bisher.", "")),
    IdentityAction.EIDESSTATTLICHE_VERSICHERUNG: (
        ("Eidesstattliche Versicherung zur Identität bei der Ausländerbehörde abgegeben.", "Kopie der Versicherung"),),
    IdentityAction.UEBERSETZUNG: (
        ("Übersetzung der Geburtsurkunde beim vereidigten Übersetzer beauftragt.", "Rechnung des Übersetzungsbüros"),
        ("Beglaubigte Übersetzung liegt vor.", "Übersetzung (Kopie)")),
    IdentityAction.URKUNDE_BESCHAFFT: (
        ("Geburtsurkunde über einen Vertrauensanwalt im Herkunftsland beschafft.", "Original bei der Ausländerbehörde"),
        ("Personenstandsurkunde per Post von der Familie erhalten.", "Kopie in der Akte")),
    IdentityAction.VORSPRACHE_ABH: (
        ("Vorsprache bei der Ausländerbehörde zum Stand der Passbeschaffung; Mitwirkung dokumentiert.",
         "Gesprächsvermerk der ABH"),
        ("ABH fordert weitere Nachweise der Mitwirkung bis zur nächsten Verlängerung.", "Schreiben der ABH")),
    IdentityAction.SONSTIGES: (
        ("Anfrage beim Generalkonsulat per E-Mail, noch keine Antwort.", "E-Mail (Ausdruck)"),
        ("Beratung zu Wegen der Identitätsklärung bei der Verfahrensberatung.", "")),
}


def _now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _demo_pdf(title: str, salt: str, day: dt.date | None) -> bytes:
    """A one-page PDF (hand-written, valid cross-reference table) standing for a scan."""
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    when = day.strftime("%d.%m.%Y") if day else ""
    lines = [("Muster (Demo-Daten)", 24, 760), (title, 18, 720), (when, 12, 696), (f"Ref. {salt[-12:]}", 8, 60)]
    stream = "".join(f"BT /F1 {size} Tf 72 {y} Td ({esc(text.encode('latin-1', 'replace').decode('latin-1'))}) Tj ET\n"
                     for text, size, y in lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _is_nonlatin(text: str) -> bool:
    """True for names in Arabic or Ethiopic script (no Latin letter in them)."""
    return bool(text) and not any("a" <= c.lower() <= "z" for c in text) and any(ord(c) > 0x36F for c in text)


# --------------------------------------------------------------------------- entry point


@dataclass(frozen=True)
class DemoResult:
    clients: int
    cases: int
    contacts: int


_LEVEL: dict[type, int] = {
    Client: 0, Case: 1, Blob: 1, Consent: 1, Contact: 2, Document: 2, Disclosure: 2, Assessment: 2, Agreement: 2,
    Goal: 4, Task: 5, ServiceChain: 5, Referral: 6,
}


def generate(vault: object, clients: int, seed: int = 1,
             progress: Callable[[float], None] | None = None, batch: int = 500) -> DemoResult:
    """Add ``clients`` synthetic clients, each with its histories, a case (some two) and interviews.

    Commits once per ``batch`` clients and calls ``progress(done / clients)`` after each commit.
    Appending to a vault that holds clients already keeps their case codes free.
    """
    rng = random.Random(seed)
    ref = today()
    batch = max(1, batch)
    n_cases = n_contacts = 0
    session_factory = getattr(vault, "session")
    with session_factory() as s:
        used = set(s.execute(select(Client.case_code)).scalars())
    maker = _ClientMaker(rng, ref, programme_id(DEFAULT_PROGRAMME_KEY), used)
    from gk_desktop.services.demo_network import ensure_network

    with session_factory() as s:
        maker.partners = ensure_network(s, ref)
        s.commit()
    done = 0
    while done < clients:
        size = min(batch, clients - done)
        # The models have no relationship(), so the unit of work does not order inserts by foreign
        # key: parents are flushed before their children, one level at a time (four flushes a batch).
        # Parents before children (_LEVEL): client → cases, blobs, consents → documents,
        # interviews, disclosures, assessments, agreements → the client's records, needs,
        # resources → goals → tasks, chains → referrals.
        levels: tuple[list[object], ...] = ([], [], [], [], [], [], [])
        for _ in range(size):
            records, k, n = maker.make()
            for record in records:
                levels[_LEVEL.get(type(record), 3)].append(record)
            n_cases += k
            n_contacts += n
        with session_factory() as s:
            for level in levels:
                s.add_all(level)
                s.flush()
            s.commit()
        done += size
        if progress:
            progress(done / clients)
    return DemoResult(clients, n_cases, n_contacts)


def add_interviews(vault: object, total: int, seed: int = 1, batch: int = 2000,
                   progress: Callable[[float], None] | None = None) -> int:
    """Add synthetic interviews to the existing cases until the vault holds ``total`` (for
    benchmarks of long files: 100,000 interviews). Returns how many were added."""
    from sqlalchemy import func, select

    rng = random.Random(seed)
    ref = today()
    session_factory = getattr(vault, "session")
    with session_factory() as s:
        have = s.execute(select(func.count()).select_from(Contact)).scalar_one()
        cases = [(cid, first) for cid, first in s.execute(select(Case.id, Case.first_contact_on).order_by(Case.id))]
    missing = max(0, total - have)
    if not cases or not missing:
        return 0
    texts = [text for text, _tag in _NOTES + _FIRST_NOTES]
    added = 0
    while added < missing:
        size = min(batch, missing - added)
        with session_factory() as s:
            for _ in range(size):
                case_id, first_on = cases[rng.randrange(len(cases))]
                day = _between(rng, first_on, max(first_on, ref))
                ctype = _pick(rng, _CONTACT_TYPES)
                s.add(Contact(case_id=case_id, at=_berlin_to_utc(day, rng.randint(8, 16), rng.choice((0, 15, 30, 45))),
                              duration_min=rng.choice(_DURATION[ctype]), contact_type=ctype.value,
                              note=" ".join(rng.sample(texts, rng.randint(1, 3)))))
            s.commit()
        added += size
        if progress:
            progress(added / missing)
    return added
