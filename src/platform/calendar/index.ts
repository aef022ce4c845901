export {
  addDays, addMonths, addWorkingDays, dayInCity, deadlineEndDay, endOfCityDay, isPublicHoliday, isWorkingDay, nextWorkingDayFrom,
  CITY_TIME_ZONE, type DeadlineLength, type IsoDay,
} from './calendar.js'
